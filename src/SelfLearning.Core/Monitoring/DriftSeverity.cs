namespace SelfLearning.Monitoring;

/// <summary>How far a live distribution has moved from its reference, by the population stability index.</summary>
public enum DriftSeverity
{
    /// <summary>PSI below the moderate threshold (conventionally 0.1): stable.</summary>
    None = 0,

    /// <summary>PSI between the moderate and major thresholds (conventionally 0.1–0.25): worth watching.</summary>
    Moderate = 1,

    /// <summary>PSI at or above the major threshold (conventionally 0.25): the population has shifted.</summary>
    Major = 2,
}
