using System.Globalization;
using System.Net;
using System.Text;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Samples.Triage;

/// <summary>
/// Writes the report: one HTML page with every chart inline (each also saved as an .svg file beside it) — a
/// reliability diagram before and after each promotion, the weekly calibration error of the serving champion,
/// and the held-out metrics of every registered version.
/// </summary>
internal static class ReportWriter
{
    private const string Blue = "#1f77b4";
    private const string Orange = "#ff7f0e";
    private const string Green = "#2ca02c";
    private const string Red = "#d62728";
    private const string Grey = "#7f7f7f";

    private static readonly double[] UnitTicks = [0, 0.2, 0.4, 0.6, 0.8, 1.0];

    /// <summary>Writes the report and returns the absolute path of its HTML page.</summary>
    public static string Write(string directory, string database, SampleState state, IReadOnlyList<ModelVersion> versions)
    {
        string root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var charts = new List<(string File, string Caption, string Svg)>();
        foreach (PromotionRecord promotion in state.Promotions)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"reliability-week{promotion.Week:D3}");
            charts.Add((name + "-before.svg", $"Week {promotion.Week}, before: v{promotion.FromVersion}", Reliability(promotion, before: true)));
            charts.Add((name + "-after.svg", $"Week {promotion.Week}, after: v{promotion.ToVersion} ({promotion.Kind})", Reliability(promotion, before: false)));
        }

        charts.Add(("weekly-ece.svg", "Calibration error of the serving champion, week by week", Weekly(state.Rows)));
        charts.Add(("versions.svg", "Held-out metrics of every registered version", Versions(versions)));
        foreach (var chart in charts)
        {
            File.WriteAllText(Path.Combine(root, chart.File), chart.Svg);
        }

        string html = Path.Combine(root, "index.html");
        File.WriteAllText(html, Html(database, state, charts));
        return html;
    }

    private static string Reliability(PromotionRecord promotion, bool before)
    {
        IReadOnlyList<ReliabilityPoint> points = before ? promotion.Before : promotion.After;
        int version = before ? promotion.FromVersion : promotion.ToVersion;
        double ece = before ? promotion.EceBefore : promotion.EceAfter;
        string who = version == 0 ? "v0 (host's raw confidence)" : $"v{version}";
        var chart = new SvgChart(380, 380, (0, 1), (0, 1), string.Create(CultureInfo.InvariantCulture, $"Week {promotion.Week} {(before ? "before" : "after")}: {who}"));
        chart.Axes(UnitTicks, UnitTicks, "predicted P(host is right)", "observed frequency");
        chart.Line(chart.X(0), chart.Y(0), chart.X(1), chart.Y(1), Grey, dash: "5,4");
        string color = before ? Red : Green;
        chart.Polyline(points.Select(p => (p.MeanConfidence, p.ObservedFrequency)), color);
        int most = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Count));
        foreach (ReliabilityPoint p in points)
        {
            chart.Circle(p.MeanConfidence, p.ObservedFrequency, 3 + (6 * Math.Sqrt((double)p.Count / most)), color,
                string.Create(CultureInfo.InvariantCulture, $"{p.Count} cases: predicted {p.MeanConfidence:F3}, observed {p.ObservedFrequency:F3}"));
        }

        chart.Text(chart.PlotLeft + 10, chart.PlotTop + 16, string.Create(CultureInfo.InvariantCulture, $"ECE {ece:F4}"), weight: "bold", fill: color);
        chart.Text(chart.PlotRight - 4, chart.PlotBottom - 8, "dashed: perfect calibration", anchor: "end", size: 10, fill: Grey);
        return chart.ToString();
    }

    private static string Weekly(List<CycleRow> rows)
    {
        int first = rows.Count == 0 ? 1 : rows[0].Week;
        int last = rows.Count == 0 ? 2 : Math.Max(rows[^1].Week, first + 1);
        double top = Math.Max(0.05, rows.Count == 0 ? 0.05 : rows.Max(r => r.EceBefore)) * 1.15;
        var chart = new SvgChart(760, 340, (first - 0.5, last + 0.5), (0, top), "ECE of the serving champion on each week's reviewed cases");
        int step = Math.Max(1, (last - first + 1) / 20);
        chart.Axes(
            Enumerable.Range(first, last - first + 1).Where(w => (w - first) % step == 0).Select(w => (double)w),
            Enumerable.Range(0, 6).Select(i => top / 1.15 * i / 5),
            "simulated week",
            "ECE",
            xLabel: v => v.ToString("0", CultureInfo.InvariantCulture),
            yLabel: v => v.ToString("0.00", CultureInfo.InvariantCulture));
        foreach (CycleRow row in rows)
        {
            (string? label, string color) = row.Outcome switch
            {
                "FirstChampion" or "Promoted" => ("promoted", Green),
                "CandidateRejected" => ("refused", Orange),
                "RolledBack" => ("rolled back", Red),
                _ => ((string?)null, Grey),
            };
            if (label is not null)
            {
                chart.Line(chart.X(row.Week), chart.PlotTop, chart.X(row.Week), chart.PlotBottom, color, dash: "3,3");
                chart.Text(chart.X(row.Week) + 3, chart.PlotTop + 12, label, size: 10, fill: color);
            }
        }

        chart.Polyline(rows.Select(r => ((double)r.Week, r.EceBefore)), Blue);
        foreach (CycleRow row in rows)
        {
            chart.Circle(row.Week, row.EceBefore, 4, Blue, string.Create(CultureInfo.InvariantCulture, $"week {row.Week}: v{row.ChampionBefore} ECE {row.EceBefore:F4}"));
        }

        return chart.ToString();
    }

    private static string Versions(IReadOnlyList<ModelVersion> versions)
    {
        double top = 0.05;
        foreach (ModelVersion v in versions)
        {
            top = Math.Max(top, Math.Max(Metric(v, TrainingMetrics.ExpectedCalibrationError), Metric(v, TrainingMetrics.BrierScore)));
        }

        top *= 1.15;
        int n = Math.Max(1, versions.Count);
        var chart = new SvgChart(Math.Max(420, 120 + (n * 90)), 340, (0, n), (0, top), "Held-out ECE and Brier of each version");
        chart.Axes([], Enumerable.Range(0, 6).Select(i => top / 1.15 * i / 5), "version (stage now)", "metric", yLabel: v => v.ToString("0.00", CultureInfo.InvariantCulture));
        double group = (chart.PlotRight - chart.PlotLeft) / n;
        for (int i = 0; i < versions.Count; i++)
        {
            ModelVersion v = versions[i];
            double x = chart.PlotLeft + (i * group);
            double bar = group * 0.3;
            double ece = Metric(v, TrainingMetrics.ExpectedCalibrationError);
            double brier = Metric(v, TrainingMetrics.BrierScore);
            chart.Bar(x + (group * 0.15), bar, ece, Blue, string.Create(CultureInfo.InvariantCulture, $"v{v.Version} ECE {ece:F4}"));
            chart.Bar(x + (group * 0.15) + bar, bar, brier, Orange, string.Create(CultureInfo.InvariantCulture, $"v{v.Version} Brier {brier:F4}"));
            chart.Text(x + (group / 2), chart.PlotBottom + 18, "v" + v.Version.ToString(CultureInfo.InvariantCulture), anchor: "middle", weight: "bold");
            chart.Text(x + (group / 2), chart.PlotBottom + 32, v.Stage.ToString(), anchor: "middle", size: 10, fill: v.Stage == ModelStage.Rejected ? Red : Grey);
        }

        chart.Legend(0, Blue, "ECE");
        chart.Legend(1, Orange, "Brier score");
        return chart.ToString();
    }

    private static double Metric(ModelVersion version, string name) => version.Metrics.TryGetValue(name, out double value) ? value : 0.0;

    private static string Html(string database, SampleState state, IReadOnlyList<(string File, string Caption, string Svg)> charts)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>SelfLearning.Core sample report</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            figure { display: inline-block; margin: 8px; vertical-align: top; }
            figcaption { font-size: 13px; color: #555; text-align: center; }
            table { border-collapse: collapse; font-size: 12px; margin-top: 8px; }
            th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
            th { background: #f3f3f3; }
            </style></head><body>
            <h1>SelfLearning.Core — clinic triage sample</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>Database <code>{WebUtility.HtmlEncode(database)}</code>, seed {state.Seed}, weeks 1–{state.LastWeek}. ");
        html.Append("The host's triage model is over-confident; reviewers' feedback calibrates it. Weeks marked * are demonstrations that break something on purpose.</p>\n");
        html.Append("<h2>Reliability before and after each promotion</h2>\n");
        var reliability = charts.Where(c => c.File.StartsWith("reliability", StringComparison.Ordinal)).ToList();
        for (int i = 0; i < reliability.Count; i += 2)
        {
            // One row per promotion: its before and after diagrams side by side.
            html.Append("<div>");
            foreach (var chart in reliability.Skip(i).Take(2))
            {
                html.Append(CultureInfo.InvariantCulture, $"<figure>{chart.Svg}<figcaption>{WebUtility.HtmlEncode(chart.Caption)}</figcaption></figure>");
            }

            html.Append("</div>\n");
        }

        html.Append("<h2>Across weeks and versions</h2>\n");
        foreach (var chart in charts.Where(c => !c.File.StartsWith("reliability", StringComparison.Ordinal)))
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure>{chart.Svg}<figcaption>{WebUtility.HtmlEncode(chart.Caption)}</figcaption></figure>\n");
        }

        html.Append("<h2>Cycles</h2>\n<table><tr><th>Week</th><th>Population</th><th>Cases</th><th>Champion</th><th>vs</th><th>ECE before → after</th><th>Brier before → after</th><th>Gate</th><th>Experiment</th><th>Action</th></tr>\n");
        foreach (CycleRow row in state.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{row.Week}</td><td>{Encode(row.Population)}</td><td>{row.Cases}</td><td>v{row.ChampionBefore}</td><td>{(row.ComparedVersion is int v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "—")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{row.EceBefore:F4}{(row.EceAfter is double ea ? " → " + ea.ToString("F4", CultureInfo.InvariantCulture) : "")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{row.BrierBefore:F4}{(row.BrierAfter is double ba ? " → " + ba.ToString("F4", CultureInfo.InvariantCulture) : "")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Encode(row.Gate)}</td><td>{Encode(row.Experiment)}</td><td title=\"{Encode(row.Message)}\">{Encode(row.Action)}</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
