// SelfLearning dashboard: live events over Server-Sent Events and the manual controls. Plain JavaScript, no build step.
"use strict";
(function () {
  const prefix = document.body.dataset.prefix;
  const list = document.getElementById("events");
  const state = document.getElementById("events-state");

  function show(e) {
    const item = document.createElement("li");
    item.dataset.kind = e.kind;
    item.textContent = `${e.occurredAt} ${e.kind}${e.model ? " " + e.model : ""}${e.version ? " v" + e.version : ""}: ${e.message}`;
    list.prepend(item);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }

  const source = new EventSource(prefix + "/api/events");
  source.addEventListener("ready", () => { state.textContent = "live"; document.body.dataset.events = "connected"; });
  source.addEventListener("selflearning", (m) => show(JSON.parse(m.data)));
  source.onerror = () => { state.textContent = "reconnecting…"; document.body.dataset.events = "disconnected"; };

  function requestId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    const result = document.getElementById("action-result");
    try {
      const response = await fetch(button.dataset.url, {
        method: "POST",
        headers: { "Idempotency-Key": requestId(), "Content-Type": "application/json" },
        body: JSON.stringify({ reason: "Manual action from the dashboard." }),
        credentials: "same-origin",
      });
      if (response.ok) { window.location.reload(); return; }
      const problem = await response.json().catch(() => ({}));
      result.textContent = `${response.status}: ${problem.detail || problem.title || response.statusText}`;
    } catch (e) {
      result.textContent = String(e);
    } finally {
      button.disabled = false;
    }
  });
})();
