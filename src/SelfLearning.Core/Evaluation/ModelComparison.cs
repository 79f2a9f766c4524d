using SelfLearning.Internal;
using SelfLearning.Statistics;

namespace SelfLearning.Evaluation;

/// <summary>
/// The paired comparison of two binary models on the same held-out cases: McNemar's test on correctness and
/// a paired bootstrap (both models scored on the same resampled cases in every iteration) for the Brier
/// score, log loss and ECE differences.
/// </summary>
internal static class ModelComparison
{
    /// <summary>The default decision threshold: a probability at or above it predicts the positive class.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Compares <paramref name="candidateProbability"/> with <paramref name="championProbability"/>.</summary>
    /// <param name="championProbability">The champion's probability of the positive class for each case, in [0, 1].</param>
    /// <param name="candidateProbability">The candidate's probability for the same cases, in [0, 1].</param>
    /// <param name="labels">Whether each case was positive.</param>
    /// <param name="iterations">Bootstrap resamples (at least 1).</param>
    /// <param name="confidence">Confidence level of the intervals, in (0, 1).</param>
    /// <param name="seed">The bootstrap seed; the same seed gives the same intervals.</param>
    /// <param name="bins">Equal-width bins of the ECE (at least 1).</param>
    /// <param name="threshold">The decision threshold for correctness, in [0, 1].</param>
    /// <returns>Accuracies, McNemar's test and the three differences with their intervals.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a probability outside [0, 1] or NaN, or a parameter out of range.</exception>
    public static ModelComparisonResult Compare(
        ReadOnlySpan<double> championProbability,
        ReadOnlySpan<double> candidateProbability,
        ReadOnlySpan<bool> labels,
        int iterations = Bootstrap.DefaultIterations,
        double confidence = Bootstrap.DefaultConfidence,
        int seed = 0,
        int bins = CalibrationMetrics.DefaultBins,
        double threshold = DefaultThreshold)
    {
        CalibrationMetrics.ValidateBinary(championProbability, labels, nameof(championProbability), nameof(labels));
        CalibrationMetrics.ValidateBinary(candidateProbability, labels, nameof(candidateProbability), nameof(labels));
        Guard.Positive(iterations);
        Guard.InOpenRange(confidence, 0.0, 1.0);
        Guard.Positive(bins);
        Guard.Probability(threshold);

        int n = labels.Length;
        long championCorrect = 0;
        long candidateCorrect = 0;
        long championOnly = 0;
        long candidateOnly = 0;
        for (int i = 0; i < n; i++)
        {
            bool champion = championProbability[i] >= threshold == labels[i];
            bool candidate = candidateProbability[i] >= threshold == labels[i];
            championCorrect += champion ? 1 : 0;
            candidateCorrect += candidate ? 1 : 0;
            championOnly += champion && !candidate ? 1 : 0;
            candidateOnly += candidate && !champion ? 1 : 0;
        }

        double brier = CalibrationMetrics.BrierScoreCore(candidateProbability, labels, nameof(candidateProbability))
            - CalibrationMetrics.BrierScoreCore(championProbability, labels, nameof(championProbability));
        double logLoss = CalibrationMetrics.LogLossCore(candidateProbability, labels, nameof(candidateProbability))
            - CalibrationMetrics.LogLossCore(championProbability, labels, nameof(championProbability));
        double ece = EceDifference(championProbability, candidateProbability, labels, bins);

        var brierReplicates = new double[iterations];
        var logLossReplicates = new double[iterations];
        var eceReplicates = new double[iterations];
        var indices = new int[n];
        var championSample = new double[n];
        var candidateSample = new double[n];
        var labelSample = new bool[n];
        var random = new Random(seed);
        for (int r = 0; r < iterations; r++)
        {
            Bootstrap.Resample(random, indices);
            for (int i = 0; i < n; i++)
            {
                int j = indices[i];
                championSample[i] = championProbability[j];
                candidateSample[i] = candidateProbability[j];
                labelSample[i] = labels[j];
            }

            brierReplicates[r] = CalibrationMetrics.BrierScoreCore(candidateSample, labelSample, nameof(candidateSample))
                - CalibrationMetrics.BrierScoreCore(championSample, labelSample, nameof(championSample));
            logLossReplicates[r] = CalibrationMetrics.LogLossCore(candidateSample, labelSample, nameof(candidateSample))
                - CalibrationMetrics.LogLossCore(championSample, labelSample, nameof(championSample));
            eceReplicates[r] = EceDifference(championSample, candidateSample, labelSample, bins);
        }

        return new ModelComparisonResult(
            (double)championCorrect / n,
            (double)candidateCorrect / n,
            HypothesisTests.McNemar(championOnly, candidateOnly, exact: true),
            championOnly,
            candidateOnly,
            Bootstrap.Interval(brier, brierReplicates, confidence),
            Bootstrap.Interval(logLoss, logLossReplicates, confidence),
            Bootstrap.Interval(ece, eceReplicates, confidence));
    }

    private static double EceDifference(ReadOnlySpan<double> champion, ReadOnlySpan<double> candidate, ReadOnlySpan<bool> labels, int bins) =>
        CalibrationMetrics.BinnedError(candidate, labels, bins, BinningStrategy.EqualWidth, maximum: false, nameof(candidate))
        - CalibrationMetrics.BinnedError(champion, labels, bins, BinningStrategy.EqualWidth, maximum: false, nameof(champion));
}
