using System.Globalization;
using System.Net;
using System.Text;

namespace SelfLearning.Samples.Triage;

/// <summary>
/// A minimal SVG writer for the report's charts: a plot area with axes, ticks and labels, and data drawn in it.
/// Hand-written because no charting package is available here; it only draws lines, rectangles, circles and text.
/// </summary>
internal sealed class SvgChart
{
    private const double Left = 58;
    private const double Right = 20;
    private const double Top = 40;
    private const double Bottom = 62;

    private readonly StringBuilder _svg = new();
    private readonly double _width;
    private readonly double _height;
    private readonly (double Min, double Max) _x;
    private readonly (double Min, double Max) _y;

    public SvgChart(double width, double height, (double Min, double Max) x, (double Min, double Max) y, string title)
    {
        _width = width;
        _height = height;
        _x = x;
        _y = y;
        Append($"""<svg xmlns="http://www.w3.org/2000/svg" width="{F(width)}" height="{F(height)}" viewBox="0 0 {F(width)} {F(height)}" font-family="sans-serif" font-size="12">""");
        Append($"""<rect x="0" y="0" width="{F(width)}" height="{F(height)}" fill="white"/>""");
        Text(width / 2, 22, title, anchor: "middle", size: 14, weight: "bold");
    }

    public double PlotLeft => Left;

    public double PlotRight => _width - Right;

    public double PlotTop => Top;

    public double PlotBottom => _height - Bottom;

    public double X(double value) => Left + ((value - _x.Min) / (_x.Max - _x.Min) * (PlotRight - Left));

    public double Y(double value) => PlotBottom - ((value - _y.Min) / (_y.Max - _y.Min) * (PlotBottom - Top));

    /// <summary>Draws both axes, a light grid, tick labels and the axis titles.</summary>
    public void Axes(IEnumerable<double> xTicks, IEnumerable<double> yTicks, string xTitle, string yTitle, Func<double, string>? xLabel = null, Func<double, string>? yLabel = null)
    {
        xLabel ??= v => v.ToString("0.0", CultureInfo.InvariantCulture);
        yLabel ??= v => v.ToString("0.0", CultureInfo.InvariantCulture);
        foreach (double t in yTicks)
        {
            Line(Left, Y(t), PlotRight, Y(t), "#e4e4e4");
            Text(Left - 6, Y(t) + 4, yLabel(t), anchor: "end");
        }

        foreach (double t in xTicks)
        {
            Line(X(t), PlotBottom, X(t), PlotBottom + 5, "#333");
            Text(X(t), PlotBottom + 18, xLabel(t), anchor: "middle");
        }

        Line(Left, PlotBottom, PlotRight, PlotBottom, "#333", width: 1.5);
        Line(Left, Top, Left, PlotBottom, "#333", width: 1.5);
        Text((Left + PlotRight) / 2, _height - 14, xTitle, anchor: "middle");
        Append($"""<text x="16" y="{F((Top + PlotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 16 {F((Top + PlotBottom) / 2)})">{WebUtility.HtmlEncode(yTitle)}</text>""");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null) =>
        Append($"""<line x1="{F(x1)}" y1="{F(y1)}" x2="{F(x2)}" y2="{F(y2)}" stroke="{stroke}" stroke-width="{F(width)}"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>""");

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke) =>
        Append($"""<polyline class="data" points="{string.Join(' ', points.Select(p => F(X(p.X)) + "," + F(Y(p.Y))))}" fill="none" stroke="{stroke}" stroke-width="2"/>""");

    public void Circle(double x, double y, double radius, string fill, string? tooltip = null) =>
        Append($"""<circle class="data" cx="{F(X(x))}" cy="{F(Y(y))}" r="{F(radius)}" fill="{fill}" fill-opacity="0.85" stroke="#222" stroke-width="0.5">{(tooltip is null ? "" : $"<title>{WebUtility.HtmlEncode(tooltip)}</title>")}</circle>""");

    public void Bar(double x, double width, double value, string fill, string? tooltip = null) =>
        Append($"""<rect class="data" x="{F(x)}" y="{F(Y(value))}" width="{F(width)}" height="{F(Y(_y.Min) - Y(value))}" fill="{fill}">{(tooltip is null ? "" : $"<title>{WebUtility.HtmlEncode(tooltip)}</title>")}</rect>""");

    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string weight = "normal", string fill = "#222") =>
        Append($"""<text x="{F(x)}" y="{F(y)}" text-anchor="{anchor}" font-size="{F(size)}" font-weight="{weight}" fill="{fill}">{WebUtility.HtmlEncode(text)}</text>""");

    /// <summary>A legend entry: a colour swatch and its label, top left of the plot area.</summary>
    public void Legend(int index, string color, string label)
    {
        double y = Top + 8 + (index * 18);
        Append($"""<rect x="{F(Left + 10)}" y="{F(y)}" width="12" height="12" fill="{color}"/>""");
        Text(Left + 28, y + 10, label);
    }

    public override string ToString() => _svg + "</svg>";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private void Append(string element) => _svg.Append(element).Append('\n');
}
