namespace SelfLearning.Experiments;

/// <summary>What the decision engine says to do with an experiment.</summary>
public enum DecisionAction
{
    /// <summary>Keep collecting at the current step.</summary>
    Continue = 0,

    /// <summary>Move the challenger to the next share of traffic.</summary>
    RampUp = 1,

    /// <summary>The challenger won: activate it as champion.</summary>
    Promote = 2,

    /// <summary>Withdraw the challenger: it lost, a guardrail regressed, or the split is broken.</summary>
    RollBack = 3,

    /// <summary>End without a winner: the maximum duration or sample was reached.</summary>
    StopInconclusive = 4,
}
