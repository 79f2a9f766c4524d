namespace SelfLearning.Training;

/// <summary>One grid point's cross-validated score.</summary>
/// <param name="Parameters">The grid point (the search's fixed parameters included).</param>
/// <param name="FoldScores">The selection metric on each fold's held-out part.</param>
/// <param name="MeanScore">The mean over folds.</param>
internal sealed record GridSearchCandidate(TrainingParameters Parameters, IReadOnlyList<double> FoldScores, double MeanScore);
