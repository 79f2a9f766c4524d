using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The default router: GrowthBook's namespace check, then its hash of the unit with the experiment
/// seed, then the experiment's precomputed bucket ranges. Stateless, so lock-free.
/// </summary>
internal sealed class AbTestRouter : IAbTestRouter
{
    public Assignment Assign(Experiment experiment, string unitId)
    {
        Guard.NotNull(experiment);
        Guard.NotNull(unitId);
        ExperimentDefinition definition = experiment.Definition;

        switch (experiment.Status)
        {
            case ExperimentStatus.Running:
                break;
            case ExperimentStatus.Promoted:
                return new Assignment(ExperimentArm.Challenger, definition.ChallengerVersion, inExperiment: false, shadowModelVersion: null);
            default:
                return Outside(definition);
        }

        if (definition.Namespace is { } ns && !BucketHash.InNamespace(unitId, ns))
        {
            return Outside(definition);
        }

        double bucket = definition.HashVersion == 1
            ? BucketHash.HashV1(unitId, experiment.Seed, ReadOnlySpan<char>.Empty)
            : BucketHash.HashV2(experiment.SeedState, unitId);

        bool inChampion = experiment.ChampionRange.Contains(bucket);
        bool inChallenger = !inChampion && experiment.ChallengerRange.Contains(bucket);
        if (!inChampion && !inChallenger)
        {
            return Outside(definition);
        }

        if (definition.Mode == ExperimentMode.Shadow)
        {
            return new Assignment(ExperimentArm.Champion, definition.ChampionVersion, inExperiment: true, definition.ChallengerVersion);
        }

        return inChampion
            ? new Assignment(ExperimentArm.Champion, definition.ChampionVersion, inExperiment: true, shadowModelVersion: null)
            : new Assignment(ExperimentArm.Challenger, definition.ChallengerVersion, inExperiment: true, shadowModelVersion: null);
    }

    private static Assignment Outside(ExperimentDefinition definition) =>
        new(ExperimentArm.Champion, definition.ChampionVersion, inExperiment: false, shadowModelVersion: null);
}
