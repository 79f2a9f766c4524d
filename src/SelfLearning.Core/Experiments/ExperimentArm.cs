namespace SelfLearning.Experiments;

/// <summary>The two arms of a champion/challenger experiment.</summary>
public enum ExperimentArm
{
    /// <summary>The model currently in production (the control).</summary>
    Champion = 0,

    /// <summary>The candidate being tested (the treatment).</summary>
    Challenger = 1,
}
