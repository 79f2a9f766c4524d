using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

/// <summary>Experiments used across the Experiments tests.</summary>
internal static class ExperimentFixtures
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);

    public static ExperimentDefinition Definition(string key = "triage-v2") => new()
    {
        Key = key,
        ModelName = "triage",
        ChampionVersion = 1,
        ChallengerVersion = 2,
    };

    public static Experiment Running(ExperimentDefinition? definition = null) =>
        Experiment.Start(definition ?? Definition(), Epoch);
}
