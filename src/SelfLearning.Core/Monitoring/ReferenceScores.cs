using System.Globalization;
using SelfLearning.Hosting;

namespace SelfLearning.Monitoring;

/// <summary>
/// The drift reference of a version: <see cref="HostingConstants.ReferenceQuantiles"/> quantiles of the scores it
/// was judged on (the snapshot's held-out cases), stored as a registry tag so a restarted host rebuilds the same
/// reference from the registry alone. Quantiles at (i + ½)/n keep the sample's distribution in a bounded size.
/// </summary>
internal static class ReferenceScores
{
    /// <summary>Formats the quantiles of <paramref name="scores"/> as the tag's value ("R" round-trip doubles, space-separated).</summary>
    public static string Format(ReadOnlySpan<double> scores)
    {
        double[] sorted = scores.ToArray();
        Array.Sort(sorted);
        var quantiles = new string[Math.Min(HostingConstants.ReferenceQuantiles, sorted.Length)];
        for (int i = 0; i < quantiles.Length; i++)
        {
            int index = (int)((i + 0.5) * sorted.Length / quantiles.Length);
            quantiles[i] = sorted[index].ToString("R", CultureInfo.InvariantCulture);
        }

        return string.Join(' ', quantiles);
    }

    /// <summary>Reads the reference of a version's tags, or <see langword="null"/> for a version registered without one.</summary>
    public static double[]? Parse(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(HostingConstants.ReferenceScoresTag, out string? text)
            ? [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(q => double.Parse(q, NumberStyles.Float, CultureInfo.InvariantCulture))]
            : null;
}
