using System.ComponentModel.DataAnnotations;
using System.Globalization;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.Evaluation;

/// <summary>
/// Judges a candidate against the champion on the same held-out cases. The rules (see
/// <see cref="QualityGateOptions"/>): enough held-out cases; ECE improved by a minimum relative amount; Brier
/// score and log loss not significantly worse by their paired bootstrap intervals; accuracy not lower by more
/// than the tolerated drop with McNemar's test significant. The numbers come from <see cref="ModelComparison"/>.
/// </summary>
public static class QualityGate
{
    /// <summary>The rule requiring a minimum number of held-out cases.</summary>
    public const string MinimumHoldoutRule = "minimum-holdout";

    /// <summary>The rule requiring a relative ECE improvement.</summary>
    public const string EceImprovementRule = "ece-relative-improvement";

    /// <summary>The rule requiring the Brier score not to be significantly worse.</summary>
    public const string BrierRule = "brier-not-worse";

    /// <summary>The rule requiring the log loss not to be significantly worse.</summary>
    public const string LogLossRule = "log-loss-not-worse";

    /// <summary>The rule limiting a significant accuracy drop.</summary>
    public const string AccuracyRule = "accuracy-not-lower";

    /// <summary>The metric name of the expected calibration error in the verdict's metric maps.</summary>
    public const string EceMetric = "ece";

    /// <summary>Judges <paramref name="candidateProbability"/> against <paramref name="championProbability"/>.</summary>
    /// <param name="championProbability">The champion's (or the uncalibrated baseline's) probability for each held-out case, in [0, 1].</param>
    /// <param name="candidateProbability">The candidate's probability for the same cases, in [0, 1].</param>
    /// <param name="labels">Whether each case was positive (the host's prediction was right).</param>
    /// <param name="options">The rules; defaults when <see langword="null"/>.</param>
    /// <returns>The verdict with every rule and its numbers.</returns>
    /// <exception cref="ArgumentException">The inputs are empty, differ in length or hold a value outside [0, 1]; an option is out of range.</exception>
    public static QualityGateVerdict Evaluate(
        ReadOnlySpan<double> championProbability,
        ReadOnlySpan<double> candidateProbability,
        ReadOnlySpan<bool> labels,
        QualityGateOptions? options = null)
    {
        options ??= new QualityGateOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var comparison = ModelComparison.Compare(
            championProbability, candidateProbability, labels, options.BootstrapIterations, options.Confidence, options.Seed, options.Bins);
        var champion = Metrics(championProbability, labels, comparison.ChampionAccuracy, options.Bins);
        var candidate = Metrics(candidateProbability, labels, comparison.CandidateAccuracy, options.Bins);

        var rules = new List<QualityGateRuleResult>(5)
        {
            new(
                MinimumHoldoutRule,
                labels.Length >= options.MinimumHoldoutSize,
                labels.Length,
                options.MinimumHoldoutSize,
                Format($"{labels.Length} held-out cases; at least {options.MinimumHoldoutSize} are required.")),
        };

        double championEce = champion[EceMetric];
        double candidateEce = candidate[EceMetric];
        double relative = championEce > 0.0 ? (championEce - candidateEce) / championEce : (candidateEce > 0.0 ? -1.0 : 0.0);
        bool eceOk = candidateEce <= championEce * (1.0 - options.MinimumRelativeEceImprovement) && (championEce > 0.0 || options.MinimumRelativeEceImprovement == 0.0);
        rules.Add(new(
            EceImprovementRule,
            eceOk,
            relative,
            options.MinimumRelativeEceImprovement,
            Format($"ECE {championEce:G4} → {candidateEce:G4}: {relative:P2} relative improvement; at least {options.MinimumRelativeEceImprovement:P2} is required.")));

        rules.Add(ProperScoreRule(BrierRule, "Brier score", comparison.BrierDifference, options));
        rules.Add(ProperScoreRule(LogLossRule, "log loss", comparison.LogLossDifference, options));

        double drop = comparison.ChampionAccuracy - comparison.CandidateAccuracy;
        double p = comparison.McNemar.PValue;
        bool accuracyOk = !(drop > options.MaximumAccuracyDrop && p < options.Alpha);
        rules.Add(new(
            AccuracyRule,
            accuracyOk,
            drop,
            options.MaximumAccuracyDrop,
            Format($"Accuracy {comparison.ChampionAccuracy:P2} → {comparison.CandidateAccuracy:P2} (drop {drop * 100:F2} points; at most {options.MaximumAccuracyDrop * 100:F2} tolerated), McNemar b = {comparison.ChampionOnlyCorrect}, c = {comparison.CandidateOnlyCorrect}, p = {p:G3} (α = {options.Alpha:G3}).")));

        return new QualityGateVerdict
        {
            Passed = rules.TrueForAll(r => r.Passed),
            HoldoutSize = labels.Length,
            Rules = rules,
            ChampionMetrics = champion,
            CandidateMetrics = candidate,
        };
    }

    private static QualityGateRuleResult ProperScoreRule(string rule, string metric, ConfidenceInterval difference, QualityGateOptions options)
    {
        bool passed = !options.RequireProperScoresNotWorse || !difference.IsAboveZero;
        return new(
            rule,
            passed,
            difference.Estimate,
            0.0,
            Format($"{metric} difference (candidate − champion) {difference.Estimate:G4}, {difference.Confidence:P0} paired bootstrap interval [{difference.Lower:G4}, {difference.Upper:G4}]; the rule fails when the whole interval is above 0."));
    }

    private static SortedDictionary<string, double> Metrics(ReadOnlySpan<double> probability, ReadOnlySpan<bool> labels, double accuracy, int bins) =>
        new(StringComparer.Ordinal)
        {
            [TrainingMetrics.Accuracy] = accuracy,

            // The ECE of the probability against the labels, exactly as ModelComparison measures the difference.
            [EceMetric] = CalibrationMetrics.BinnedError(probability, labels, bins, BinningStrategy.EqualWidth, maximum: false, nameof(probability)),
            [TrainingMetrics.BrierScore] = CalibrationMetrics.BrierScore(probability, labels),
            [TrainingMetrics.LogLoss] = CalibrationMetrics.LogLoss(probability, labels),
        };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
