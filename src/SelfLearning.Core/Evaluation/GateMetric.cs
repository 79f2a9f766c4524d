namespace SelfLearning.Evaluation;

/// <summary>The primary metric a classifier candidate must beat the champion on, besides the guard rules.</summary>
public enum GateMetric
{
    /// <summary>Log loss of the calibrated probability of the predicted class (lower is better).</summary>
    LogLoss = 0,

    /// <summary>Area under the ROC curve of the calibrated probability of the second class; binary models only (higher is better).</summary>
    Auc = 1,

    /// <summary>Accuracy (higher is better).</summary>
    Accuracy = 2,

    /// <summary>Macro-averaged F1 (higher is better).</summary>
    F1 = 3,

    /// <summary>Expected calibration error of the calibrated probability of the predicted class (lower is better).</summary>
    Ece = 4,
}
