using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace SelfLearning.AspNetCore.Dashboard;

/// <summary>
/// Small server-side SVG charts: no JavaScript charting library and no build step. Each chart carries a
/// <c>data-chart</c> attribute naming what it shows, so a browser test can find every chart and check it was drawn.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 360;
    private const int Height = 200;
    private const int Margin = 30;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    /// <summary>One line per metric across versions (x: version, y: metric value, each metric scaled to its own range).</summary>
    public static void MetricsAcrossVersions(StringBuilder html, string model, IReadOnlyList<(int Version, IReadOnlyDictionary<string, double> Metrics)> versions)
    {
        var metrics = versions.SelectMany(v => v.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(Colors.Length).ToList();
        Open(html, "metrics", model, $"Metrics across versions of {model}");
        Axes(html);
        int count = Math.Max(1, versions.Count - 1);
        for (int m = 0; m < metrics.Count; m++)
        {
            var points = versions.Select((v, i) => (i, v.Metrics.TryGetValue(metrics[m], out double value) ? value : (double?)null))
                .Where(p => p.Item2 is not null).Select(p => (p.i, p.Item2!.Value)).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            double min = points.Min(p => p.Value);
            double max = points.Max(p => p.Value);
            double span = max > min ? max - min : 1.0;
            var coordinates = points.Select(p => (X(versions.Count == 1 ? 0.5 : (double)p.i / count), Y(max > min ? (p.Value - min) / span : 0.5))).ToList();
            html.Append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"").Append(Colors[m]).Append("\" points=\"")
                .AppendJoin(' ', coordinates.Select(c => Format(c.Item1) + "," + Format(c.Item2))).Append("\"/>");
            foreach (var (x, y) in coordinates)
            {
                html.Append("<circle r=\"3\" fill=\"").Append(Colors[m]).Append("\" cx=\"").Append(Format(x)).Append("\" cy=\"").Append(Format(y)).Append("\"/>");
            }

            html.Append("<text x=\"").Append(Width - Margin + 2).Append("\" y=\"").Append(Format(coordinates[^1].Item2)).Append("\" font-size=\"9\" fill=\"")
                .Append(Colors[m]).Append("\">").Append(HtmlEncoder.Default.Encode(metrics[m])).Append("</text>");
        }

        for (int i = 0; i < versions.Count; i++)
        {
            html.Append("<text font-size=\"9\" text-anchor=\"middle\" x=\"").Append(Format(X(versions.Count == 1 ? 0.5 : (double)i / count)))
                .Append("\" y=\"").Append(Height - 12).Append("\">v").Append(versions[i].Version).Append("</text>");
        }

        html.Append("</svg>");
    }

    /// <summary>A reliability diagram: observed frequency against mean confidence per bin, with the diagonal of perfect calibration.</summary>
    public static void Reliability(StringBuilder html, string model, string title, IReadOnlyList<(double Confidence, double Frequency, long Count)> bins, string color)
    {
        Open(html, "reliability", model, title);
        Axes(html);
        html.Append("<line class=\"diagonal\" stroke=\"#999\" stroke-dasharray=\"4 3\" x1=\"").Append(X(0)).Append("\" y1=\"").Append(Y(0))
            .Append("\" x2=\"").Append(X(1)).Append("\" y2=\"").Append(Y(1)).Append("\"/>");
        html.Append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"").Append(color).Append("\" points=\"")
            .AppendJoin(' ', bins.Select(b => Format(X(b.Confidence)) + "," + Format(Y(b.Frequency)))).Append("\"/>");
        foreach (var bin in bins)
        {
            html.Append("<circle r=\"3\" fill=\"").Append(color).Append("\" cx=\"").Append(Format(X(bin.Confidence))).Append("\" cy=\"").Append(Format(Y(bin.Frequency)))
                .Append("\"><title>").Append(Format(bin.Confidence)).Append(" → ").Append(Format(bin.Frequency)).Append(" (").Append(bin.Count).Append(")</title></circle>");
        }

        html.Append("<text font-size=\"9\" x=\"").Append(Margin).Append("\" y=\"").Append(Height - 12).Append("\">confidence →</text></svg>");
    }

    /// <summary>The canary ramp: one bar per step, the current one filled.</summary>
    public static void Ramp(StringBuilder html, string model, IReadOnlyList<double> shares, int step)
    {
        Open(html, "ramp", model, $"Canary ramp of {model}");
        Axes(html);
        double band = (Width - (2.0 * Margin)) / Math.Max(1, shares.Count);
        for (int i = 0; i < shares.Count; i++)
        {
            double x = Margin + (i * band) + 4;
            double top = Y(shares[i] / 0.5);
            html.Append("<rect class=\"bar\" x=\"").Append(Format(x)).Append("\" y=\"").Append(Format(top)).Append("\" width=\"").Append(Format(band - 8))
                .Append("\" height=\"").Append(Format(Y(0) - top)).Append("\" fill=\"").Append(i == step ? "#d62728" : "#f4b6b6").Append("\"/>");
            html.Append("<text font-size=\"10\" text-anchor=\"middle\" x=\"").Append(Format(x + ((band - 8) / 2))).Append("\" y=\"").Append(Format(top - 3)).Append("\">")
                .Append(shares[i].ToString("P0", CultureInfo.InvariantCulture)).Append("</text>");
        }

        html.Append("</svg>");
    }

    /// <summary>A progress bar of a training job.</summary>
    public static void Progress(StringBuilder html, string jobId, double percent)
    {
        html.Append("<svg class=\"progress\" data-chart=\"progress\" data-job=\"").Append(HtmlEncoder.Default.Encode(jobId))
            .Append("\" width=\"120\" height=\"12\" role=\"img\" aria-label=\"").Append(Format(percent)).Append("%\">")
            .Append("<rect width=\"120\" height=\"12\" fill=\"#eee\"/><rect class=\"bar\" height=\"12\" fill=\"#2ca02c\" width=\"")
            .Append(Format(Math.Max(1.0, 1.2 * percent))).Append("\"/></svg>");
    }

    private static void Open(StringBuilder html, string chart, string model, string title) =>
        html.Append("<svg class=\"chart\" data-chart=\"").Append(chart).Append("\" data-model=\"").Append(HtmlEncoder.Default.Encode(model))
            .Append("\" width=\"").Append(Width).Append("\" height=\"").Append(Height).Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height)
            .Append("\" role=\"img\"><title>").Append(HtmlEncoder.Default.Encode(title)).Append("</title>");

    private static void Axes(StringBuilder html) =>
        html.Append("<path class=\"axes\" stroke=\"#333\" fill=\"none\" d=\"M").Append(Margin).Append(',').Append(Margin - 10)
            .Append(" L").Append(Margin).Append(',').Append(Height - Margin).Append(" L").Append(Width - Margin).Append(',').Append(Height - Margin).Append("\"/>");

    private static double X(double fraction) => Margin + (fraction * (Width - (2.0 * Margin)));

    private static double Y(double fraction) => Height - Margin - (fraction * (Height - (2.0 * Margin) - 10));

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
