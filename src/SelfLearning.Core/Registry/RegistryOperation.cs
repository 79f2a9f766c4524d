namespace SelfLearning.Registry;

/// <summary>The registry operation that caused a <see cref="StageTransition"/>.</summary>
public enum RegistryOperation
{
    /// <summary>The version was registered (it enters <see cref="ModelStage.Candidate"/>).</summary>
    Register = 0,

    /// <summary>The version became champion, or was archived because another one did.</summary>
    Activate = 1,

    /// <summary>The champion was archived and no version took its place.</summary>
    Deactivate = 2,

    /// <summary>The champion was rejected and the previous champion restored.</summary>
    RollBack = 3,

    /// <summary>A stage change outside the champion slot (for example Candidate to Challenger).</summary>
    SetStage = 4,
}
