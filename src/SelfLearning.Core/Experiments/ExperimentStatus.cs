namespace SelfLearning.Experiments;

/// <summary>Where an experiment is in its life.</summary>
public enum ExperimentStatus
{
    /// <summary>Traffic is split and outcomes are collected.</summary>
    Running = 0,

    /// <summary>The challenger won and was activated as champion.</summary>
    Promoted = 1,

    /// <summary>The challenger was withdrawn: it lost, a guardrail regressed, or the split was broken.</summary>
    RolledBack = 2,

    /// <summary>The experiment ended without a winner (maximum duration or sample reached).</summary>
    Inconclusive = 3,
}
