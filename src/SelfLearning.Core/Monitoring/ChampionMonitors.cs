using SelfLearning.Monitoring;

namespace SelfLearning.Monitoring;

/// <summary>The drift monitors of one model's champion version, and whether their drift has been reported.</summary>
/// <param name="Version">The champion version the monitors watch.</param>
/// <param name="Scores">Its live scores against its reference, or <see langword="null"/> when the version has no reference.</param>
/// <param name="Errors">Its live error stream.</param>
internal sealed record ChampionMonitors(int Version, ScoreDriftMonitor? Scores, ErrorStreamMonitor Errors)
{
    /// <summary>Gets or sets a value indicating whether the current drift has been published (once per detection).</summary>
    public bool Reported { get; set; }
}
