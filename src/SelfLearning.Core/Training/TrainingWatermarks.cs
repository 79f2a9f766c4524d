using SelfLearning.Hosting;
using SelfLearning.Registry;

namespace SelfLearning.Training;

/// <summary>Where the next collection of a model starts: after the newest case its newest version was trained on.</summary>
internal static class TrainingWatermarks
{
    /// <summary>The training watermark of <paramref name="latest"/>, or <see langword="null"/> (collect from the start) without a version.</summary>
    public static string? Of(ModelVersion? latest) =>
        latest is not null && latest.Tags.TryGetValue(HostingConstants.WatermarkTag, out string? watermark) ? watermark : null;
}
