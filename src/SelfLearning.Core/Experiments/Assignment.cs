namespace SelfLearning.Experiments;

/// <summary>Where a unit goes in an experiment: the arm, the version it is served, and whether it is counted.</summary>
public readonly record struct Assignment
{
    internal Assignment(ExperimentArm arm, int modelVersion, bool inExperiment, int? shadowModelVersion)
    {
        Arm = arm;
        ModelVersion = modelVersion;
        InExperiment = inExperiment;
        ShadowModelVersion = shadowModelVersion;
    }

    /// <summary>Gets the arm the unit is in (<see cref="ExperimentArm.Champion"/> for units outside the experiment).</summary>
    public ExperimentArm Arm { get; }

    /// <summary>Gets the registry version number whose prediction the unit is served.</summary>
    public int ModelVersion { get; }

    /// <summary>Gets a value indicating whether the unit is in the experiment, so its outcomes count.</summary>
    public bool InExperiment { get; }

    /// <summary>
    /// Gets the version to score beside the served one without serving it, in shadow mode;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public int? ShadowModelVersion { get; }
}
