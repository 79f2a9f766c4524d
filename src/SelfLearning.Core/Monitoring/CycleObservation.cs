using SelfLearning.Registry;

namespace SelfLearning.Monitoring;

/// <summary>What the champion watch read at the start of a cycle, for the trigger rules.</summary>
/// <param name="Latest">The model's newest registered version, if any.</param>
/// <param name="NewCases">The cases validated after that version's training watermark.</param>
/// <param name="Drifted">Whether the champion drifted and drift may retrain it now (the rollback watch is not waiting for outcomes).</param>
internal sealed record CycleObservation(ModelVersion? Latest, long NewCases, bool Drifted);
