using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>A frozen dataset for one cycle: the trainer's splits and the held-out scores and outcomes both models are judged on.</summary>
/// <param name="Data">The training split and the validation (holdout) split the trainer sees.</param>
/// <param name="HoldoutScores">The host model's raw score of each held-out case.</param>
/// <param name="HoldoutOutcomes">Whether each held-out prediction was right.</param>
/// <param name="DatasetHash">The content hash of the dataset.</param>
/// <param name="Watermark">The watermark of the newest case in the dataset.</param>
internal sealed record CycleDataset(TrainingData Data, double[] HoldoutScores, bool[] HoldoutOutcomes, string DatasetHash, string Watermark);
