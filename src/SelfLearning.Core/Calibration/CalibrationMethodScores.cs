namespace SelfLearning.Calibration;

/// <summary>One candidate method's cross-validated scores.</summary>
public sealed class CalibrationMethodScores
{
    internal CalibrationMethodScores(CalibrationMethod method, double[] foldLogLoss, double[] foldBrier)
    {
        Method = method;
        FoldLogLoss = foldLogLoss;
        FoldBrier = foldBrier;
        MeanLogLoss = foldLogLoss.Average();
        MeanBrier = foldBrier.Average();
    }

    /// <summary>Gets the method.</summary>
    public CalibrationMethod Method { get; }

    /// <summary>Gets the mean log loss on each held-out fold (probabilities clipped to [1e-15, 1 − 1e-15]).</summary>
    public IReadOnlyList<double> FoldLogLoss { get; }

    /// <summary>Gets the Brier score on each held-out fold.</summary>
    public IReadOnlyList<double> FoldBrier { get; }

    /// <summary>Gets the mean of <see cref="FoldLogLoss"/>, the selection criterion.</summary>
    public double MeanLogLoss { get; }

    /// <summary>Gets the mean of <see cref="FoldBrier"/>, the tie-break.</summary>
    public double MeanBrier { get; }
}
