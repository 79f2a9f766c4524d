using SelfLearning.Training;

namespace SelfLearning.Training;

/// <summary>A frozen dataset for one cycle: the trainer's splits and the held-out cases both models are judged on.</summary>
/// <param name="ModelName">The model whose cases these are.</param>
/// <param name="Data">The training split and the validation split the trainer sees.</param>
/// <param name="Holdout">The test split in the task's form (scores and outcomes for score calibration, features and labels or targets otherwise).</param>
/// <param name="DatasetHash">The content hash of the dataset.</param>
/// <param name="Watermark">The watermark of the newest case in the dataset.</param>
internal sealed record CycleDataset(string ModelName, TrainingData Data, TrainingTable Holdout, string DatasetHash, string Watermark);
