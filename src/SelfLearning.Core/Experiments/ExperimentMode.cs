namespace SelfLearning.Experiments;

/// <summary>How the challenger takes part in an experiment.</summary>
public enum ExperimentMode
{
    /// <summary>Units in the challenger arm are served the challenger's predictions.</summary>
    Live = 0,

    /// <summary>
    /// Every unit is served the champion; units in the experiment are also scored by the challenger,
    /// without serving it, and both predictions are compared pairwise.
    /// </summary>
    Shadow = 1,
}
