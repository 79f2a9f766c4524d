namespace SelfLearning.Cases;

/// <summary>The parts of a <see cref="CaseInput"/> a host sends.</summary>
[Flags]
public enum CaseInputParts
{
    /// <summary>No particular part: whatever parts a case has are the ones judged.</summary>
    None = 0,

    /// <summary>Numeric features.</summary>
    Features = 1,

    /// <summary>The model's raw score.</summary>
    RawScore = 2,

    /// <summary>The model's per-class scores.</summary>
    ClassScores = 4,
}
