using System.Globalization;
using SelfLearning.Hosting;
using SelfLearning.Registry;

namespace SelfLearning.Monitoring;

/// <summary>
/// The drift reference of a version: <see cref="HostingConstants.ReferenceQuantiles"/> quantiles of the scores it
/// was judged on (the snapshot's held-out cases), stored with the version (<see cref="ModelLineage.ReferenceScores"/>)
/// so a restarted host rebuilds the same reference from the registry alone. Quantiles at (i + ½)/n keep the sample's
/// distribution in a bounded size. Versions registered by earlier releases carry it as a registry tag instead.
/// </summary>
internal static class ReferenceScores
{
    /// <summary>The quantiles of <paramref name="scores"/> at (i + ½)/n, at most <see cref="HostingConstants.ReferenceQuantiles"/>.</summary>
    public static double[] Quantiles(ReadOnlySpan<double> scores)
    {
        double[] sorted = scores.ToArray();
        Array.Sort(sorted);
        var quantiles = new double[Math.Min(HostingConstants.ReferenceQuantiles, sorted.Length)];
        for (int i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = sorted[(int)((i + 0.5) * sorted.Length / quantiles.Length)];
        }

        return quantiles;
    }

    /// <summary>The reference of a version: its lineage's, else the tag an earlier release wrote, else <see langword="null"/>.</summary>
    public static double[]? Of(ModelVersion version) =>
        version.Lineage.ReferenceScores is { } typed ? [.. typed] : Parse(version.Tags);

    /// <summary>Formats the quantiles of <paramref name="scores"/> as the tag earlier releases wrote ("R" round-trip doubles, space-separated).</summary>
    public static string Format(ReadOnlySpan<double> scores) =>
        string.Join(' ', Quantiles(scores).Select(q => q.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Reads the reference tag of an earlier release, or <see langword="null"/> for a version registered without one.</summary>
    public static double[]? Parse(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(HostingConstants.ReferenceScoresTag, out string? text)
            ? [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(q => double.Parse(q, NumberStyles.Float, CultureInfo.InvariantCulture))]
            : null;
}
