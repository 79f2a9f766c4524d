namespace SelfLearning.Evaluation;

/// <summary>How confidences are grouped into bins for calibration metrics and reliability curves.</summary>
public enum BinningStrategy
{
    /// <summary>Bins of equal width on [0, 1] (scikit-learn's <c>strategy='uniform'</c>).</summary>
    EqualWidth = 0,

    /// <summary>
    /// Bins holding about the same number of cases, bounded by the quantiles of the confidences
    /// (scikit-learn's <c>strategy='quantile'</c>); tied confidences always share a bin.
    /// </summary>
    EqualMass = 1,
}
