namespace SelfLearning.Training;

/// <summary>What a <see cref="TrainingTable"/> holds besides features, which decides the trainers it suits.</summary>
public enum TrainingTableKind
{
    /// <summary>Features and a class label per row (logistic/softmax regression).</summary>
    Classification = 0,

    /// <summary>Features and a numeric target per row (ridge regression).</summary>
    Regression = 1,

    /// <summary>Features only (k-means).</summary>
    Clustering = 2,

    /// <summary>A host model's score and whether the prediction was right, per row (calibrators).</summary>
    Calibration = 3,
}
