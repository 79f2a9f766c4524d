using SelfLearning.Serving;

namespace SelfLearning.Training;

/// <summary>A trained, packaged model version not yet registered, with the frozen data it was trained and is judged on.</summary>
/// <param name="Type">Its model type.</param>
/// <param name="Job">The completed training job that produced it.</param>
/// <param name="Dataset">The frozen dataset: the trainer's splits and the held-out cases.</param>
/// <param name="Package">The artifact the registry will hold: the trained model with what the loop adds (calibrator, interval, shares).</param>
/// <param name="Served">The packaged model loaded for evaluation and serving.</param>
internal sealed record Candidate(ModelType Type, TrainingJob Job, CycleDataset Dataset, PackagedArtifact Package, ServedModel Served);
