namespace SelfLearning.Training;

/// <summary>
/// What a model type predicts. The task decides how the loop evaluates a candidate against the champion, which
/// rules the quality gate applies, what it watches live and what a canary measures.
/// </summary>
public enum TaskKind
{
    /// <summary>A calibrator of the host model's own score: the probability that the host's prediction is right.</summary>
    ScoreCalibration = 0,

    /// <summary>Two classes from features; served with a calibrated probability of the predicted class.</summary>
    BinaryClassification = 1,

    /// <summary>Three or more classes from features; served with a calibrated (top-label) probability of the predicted class.</summary>
    MulticlassClassification = 2,

    /// <summary>A number from features; served with a split-conformal prediction interval.</summary>
    Regression = 3,

    /// <summary>A segment (cluster) from features; promoted on the gate alone, with no canary.</summary>
    Clustering = 4,
}
