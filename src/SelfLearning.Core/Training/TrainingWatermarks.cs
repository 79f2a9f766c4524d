using System.Globalization;
using SelfLearning.Hosting;
using SelfLearning.Registry;

namespace SelfLearning.Training;

/// <summary>Where the next collection of a model starts: after the newest case its newest version was trained on.</summary>
internal static class TrainingWatermarks
{
    /// <summary>
    /// The training watermark of <paramref name="latest"/> (its lineage's, else the tag an earlier release wrote), or
    /// <see langword="null"/> (collect from the start) without a version or a watermark.
    /// </summary>
    public static string? Of(ModelVersion? latest) =>
        latest?.Lineage.TrainingWatermark is { } typed
            ? typed.ToString("O", CultureInfo.InvariantCulture)
            : latest is not null && latest.Tags.TryGetValue(HostingConstants.WatermarkTag, out string? watermark) ? watermark : null;

    /// <summary>The typed form of a watermark the collection produced.</summary>
    public static DateTimeOffset Parse(string watermark) => DateTimeOffset.Parse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
