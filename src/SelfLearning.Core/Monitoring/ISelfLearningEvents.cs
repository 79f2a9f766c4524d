namespace SelfLearning.Monitoring;

/// <summary>The loop's events, for hosts to subscribe to (alerting, dashboards, audit).</summary>
public interface ISelfLearningEvents
{
    /// <summary>
    /// Subscribes a handler. Handlers run synchronously on the publishing thread, possibly concurrently, so
    /// they should be quick and thread-safe; one that throws is logged and does not stop the others.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it unsubscribes the handler (idempotent).</returns>
    IDisposable Subscribe(Action<SelfLearningEvent> handler);
}
