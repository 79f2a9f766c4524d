using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SelfLearning.AspNetCore.Adapters;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Dashboard;

/// <summary>Renders the dashboard: plain HTML and SVG from the same adapters the API uses; one small script adds live events and the controls.</summary>
internal sealed class DashboardPage(RegistryAdapter registry, JobsAdapter jobs, MonitoringAdapter monitoring)
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public async Task<string> RenderAsync(string prefix, bool canOperate, string user, CancellationToken cancellationToken)
    {
        var html = new StringBuilder(16_384);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SelfLearning dashboard</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(E(prefix)).Append("/assets/dashboard.css\">")
            .Append("<script defer src=\"").Append(E(prefix)).Append("/assets/dashboard.js\"></script></head>")
            .Append("<body data-prefix=\"").Append(E(prefix)).Append("\" data-operator=\"").Append(canOperate ? "true" : "false").Append("\">")
            .Append("<header><h1>SelfLearning</h1><span class=\"user\">").Append(E(user)).Append(canOperate ? " · operator" : " · read only").Append("</span></header><main>");

        foreach (ModelSummaryDto summary in await registry.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await ModelAsync(html, prefix, summary.Name, canOperate, cancellationToken).ConfigureAwait(false);
        }

        await JobsAsync(html, prefix, canOperate, cancellationToken).ConfigureAwait(false);
        html.Append("<section class=\"events\"><h2>Recent events <span id=\"events-state\">connecting…</span></h2><ul id=\"events\"></ul></section>");
        html.Append("<p id=\"action-result\" role=\"status\"></p></main></body></html>");
        return html.ToString();
    }

    private async Task ModelAsync(StringBuilder html, string prefix, string name, bool canOperate, CancellationToken cancellationToken)
    {
        // The newest page of versions with the champion and the canary: the page costs the same at 10 versions and 10,000.
        RegistryAdapter.VersionsPage model = await registry.VersionsAsync(name, null, IModelRegistry.DefaultVersionsPageSize, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<VersionDto> versions = model.Versions;
        MonitoringDto watch = await monitoring.GetAsync(name, cancellationToken).ConfigureAwait(false);
        string api = prefix + "/api/models/" + Uri.EscapeDataString(name);
        html.Append("<section class=\"model\" data-model=\"").Append(E(name)).Append("\"><h2>").Append(E(name)).Append("</h2>");
        html.Append("<p>Serving: <strong class=\"champion\" data-champion=\"").Append(model.Champion?.Version.ToString(CultureInfo.InvariantCulture) ?? "")
            .Append("\">").Append(model.Champion is { } c ? "v" + c.Version.ToString(CultureInfo.InvariantCulture) : "no champion").Append("</strong>");
        if (canOperate && model.Champion is not null)
        {
            Button(html, "rollback", api + "/rollback", $"Roll back {name} from v{model.Champion.Version} to the previous champion?", "Roll back now");
        }

        html.Append("</p><div class=\"charts\">");
        if (model.Canary is { } canary)
        {
            html.Append("<div><h3>Canary ").Append(E(canary.Key)).Append(": v").Append(canary.ChallengerVersion).Append(" at ")
                .Append(canary.ChallengerShare.ToString("P0", CultureInfo.InvariantCulture)).Append("</h3>");
            SvgCharts.Ramp(html, name, canary.Ramp, canary.RampStep);
            html.Append("</div>");
        }

        html.Append("<div><h3>Metrics across versions</h3>");
        SvgCharts.MetricsAcrossVersions(html, name, [.. versions.Select(v => (v.Version, v.Metrics))]);
        html.Append("</div>");
        if (versions.LastOrDefault(v => Reliability(v.GateVerdict, "candidateReliability") is not null) is { } gated)
        {
            html.Append("<div><h3>Reliability before (champion) / after (v").Append(gated.Version).Append(")</h3>");
            SvgCharts.Reliability(html, name, $"Reliability of the champion on v{gated.Version}'s holdout", Reliability(gated.GateVerdict, "championReliability") ?? [], "#999999");
            SvgCharts.Reliability(html, name, $"Reliability of v{gated.Version} on its holdout", Reliability(gated.GateVerdict, "candidateReliability")!, "#1f77b4");
            html.Append("</div>");
        }

        html.Append("</div>");
        VersionsTable(html, api, versions, canOperate);
        if (model.VersionCount > versions.Count)
        {
            html.Append("<p class=\"older-versions\">The newest ").Append(versions.Count).Append(" of ").Append(model.VersionCount)
                .Append(" versions; older ones: <a href=\"").Append(E(api)).Append("/versions?newest=").Append(model.NextNewestVersion)
                .Append("\">").Append(E(api)).Append("/versions</a>.</p>");
        }

        MonitoringBlock(html, watch);
        html.Append("</section>");
    }

    private static void VersionsTable(StringBuilder html, string api, IReadOnlyList<VersionDto> versions, bool canOperate)
    {
        var metrics = versions.SelectMany(v => v.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        html.Append("<table class=\"versions\"><thead><tr><th>version</th><th>stage</th><th>gate</th>");
        foreach (string metric in metrics)
        {
            html.Append("<th>").Append(E(metric)).Append("</th>");
        }

        html.Append("<th>created</th><th></th></tr></thead><tbody>");
        foreach (VersionDto v in versions.Reverse())
        {
            html.Append("<tr data-version=\"").Append(v.Version).Append("\"><td>v").Append(v.Version).Append("</td><td class=\"stage\">").Append(E(v.Stage))
                .Append("</td><td>").Append(Gate(v.GateVerdict)).Append("</td>");
            foreach (string metric in metrics)
            {
                html.Append("<td>").Append(v.Metrics.TryGetValue(metric, out double value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "").Append("</td>");
            }

            html.Append("<td>").Append(v.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</td><td>");
            if (canOperate && v.Stage is "Candidate" or "Challenger" or "Archived")
            {
                Button(html, "promote", api + "/versions/" + v.Version.ToString(CultureInfo.InvariantCulture) + "/promote", $"Promote v{v.Version} to champion now?", "Promote");
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void MonitoringBlock(StringBuilder html, MonitoringDto watch)
    {
        html.Append("<div class=\"monitoring\"><h3>Live and drift</h3><ul>");
        if (watch.Champion is { } live)
        {
            html.Append("<li>champion v").Append(live.Version).Append(": ").Append(live.Count).Append(" outcomes, accuracy ").Append(Number(live.Accuracy))
                .Append(", ECE ").Append(Number(live.ExpectedCalibrationError)).Append(", label-free estimate ").Append(Number(live.EstimatedAccuracy)).Append("</li>");
        }
        else
        {
            html.Append("<li>no live outcomes for the champion yet</li>");
        }

        foreach (DriftDto drift in watch.Drift)
        {
            html.Append("<li class=\"drift\">").Append(E(drift.Monitor)).Append(": PSI ").Append(Number(drift.Psi)).Append(", KS p ").Append(Number(drift.KsPValue))
                .Append(", ").Append(E(drift.Severity)).Append(drift.IsDrift ? " — drift" : "").Append("</li>");
        }

        html.Append("<li class=\"health\">health: ").Append(E(watch.Health.Status));
        foreach (HealthEntryDto entry in watch.Health.Entries)
        {
            html.Append(" · ").Append(E(entry.Name)).Append(' ').Append(E(entry.Status));
        }

        html.Append("</li></ul></div>");
    }

    private async Task JobsAsync(StringBuilder html, string prefix, bool canOperate, CancellationToken cancellationToken)
    {
        PageDto<JobDto> page = await jobs.ListAsync(null, null, 0, 20, cancellationToken).ConfigureAwait(false);
        html.Append("<section class=\"jobs\"><h2>Training jobs (").Append(page.Total).Append(")</h2><table><thead><tr><th>job</th><th>model</th><th>state</th>")
            .Append("<th>progress</th><th>created</th><th>failure</th><th></th></tr></thead><tbody>");
        foreach (JobDto job in page.Items)
        {
            html.Append("<tr data-job=\"").Append(E(job.Id)).Append("\"><td>").Append(E(job.Id)).Append("</td><td>").Append(E(job.Model)).Append("</td><td class=\"state\">")
                .Append(E(job.State)).Append("</td><td>");
            if (job.Progress is { } progress)
            {
                SvgCharts.Progress(html, job.Id, progress.Percent);
                html.Append(' ').Append(E(progress.Stage));
            }

            html.Append("</td><td>").Append(job.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</td><td class=\"failure\">")
                .Append(E(job.FailureReason ?? "")).Append("</td><td>");
            if (canOperate && job.State is "Queued" or "Running" or "Paused")
            {
                Button(html, "cancel", prefix + "/api/jobs/" + Uri.EscapeDataString(job.Id) + "/cancel", $"Cancel training job {job.Id}?", "Cancel");
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Button(StringBuilder html, string action, string url, string confirm, string label) =>
        html.Append(" <button type=\"button\" data-action=\"").Append(action).Append("\" data-url=\"").Append(E(url)).Append("\" data-confirm=\"")
            .Append(E(confirm)).Append("\">").Append(E(label)).Append("</button>");

    private static string Gate(JsonElement? verdict) =>
        verdict is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("passed", out JsonElement passed) && passed.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? (passed.GetBoolean() ? "passed" : "refused")
            : "";

    /// <summary>Reliability bins stored in a version's evaluation report under <paramref name="property"/>, if the report carries them.</summary>
    private static List<(double Confidence, double Frequency, long Count)>? Reliability(JsonElement? verdict, string property)
    {
        if (verdict is not { ValueKind: JsonValueKind.Object } v || !v.TryGetProperty(property, out JsonElement bins) || bins.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new List<(double, double, long)>();
        foreach (JsonElement bin in bins.EnumerateArray())
        {
            if (bin.TryGetProperty("confidence", out JsonElement c) && bin.TryGetProperty("frequency", out JsonElement f) && bin.TryGetProperty("count", out JsonElement n)
                && c.TryGetDouble(out double confidence) && f.TryGetDouble(out double frequency) && n.TryGetInt64(out long count)
                && confidence is >= 0 and <= 1 && frequency is >= 0 and <= 1)
            {
                result.Add((confidence, frequency, count));
            }
        }

        return result.Count > 0 ? result : null;
    }

    private static string Number(double? value) => value is double v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private static string E(string value) => Encoder.Encode(value);
}
