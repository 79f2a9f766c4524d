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
internal static class QualityGate
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
        QualityGateOptions? options = null) =>
        Evaluate(championProbability, labels, candidateProbability, labels, options ?? new QualityGateOptions(), null);

    /// <summary>
    /// The gate with each model judged on its own outcomes (a classifier's probability that its own predicted class is
    /// right) and, for classifiers, a primary rule computed by the caller. Without a primary rule the ECE rule asks a
    /// relative improvement (score calibration); with one it is a guard: not worse than the champion beyond
    /// <see cref="QualityGateOptions.EceFloor"/>.
    /// </summary>
    internal static QualityGateVerdict Evaluate(
        ReadOnlySpan<double> championProbability,
        ReadOnlySpan<bool> championLabels,
        ReadOnlySpan<double> candidateProbability,
        ReadOnlySpan<bool> candidateLabels,
        QualityGateOptions options,
        QualityGateRuleResult? primary,
        bool constantBaseline = false)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        bool shared = championLabels == candidateLabels;
        var comparison = shared && candidateLabels.Length <= options.MaximumBootstrapCases
            ? Paired.FromBootstrap(ModelComparison.Compare(
                championProbability, candidateProbability, candidateLabels, options.BootstrapIterations, options.Confidence, options.Seed, options.Bins))
            : Paired.FromNormalApproximation(championProbability, championLabels, candidateProbability, candidateLabels, options.Confidence);
        var champion = Metrics(championProbability, championLabels, comparison.ChampionAccuracy, options.Bins);
        var candidate = Metrics(candidateProbability, candidateLabels, comparison.CandidateAccuracy, options.Bins);
        int n = candidateLabels.Length;

        var rules = new List<QualityGateRuleResult>(6)
        {
            new(
                MinimumHoldoutRule,
                n >= options.MinimumHoldoutSize,
                n,
                options.MinimumHoldoutSize,
                Format($"{n} held-out cases; at least {options.MinimumHoldoutSize} are required.")),
        };
        if (primary is not null)
        {
            rules.Add(primary);
        }

        rules.Add(constantBaseline
            ? new(EceImprovementRule, true, candidate[EceMetric], champion[EceMetric],
                Format($"ECE {champion[EceMetric]:G4} → {candidate[EceMetric]:G4}; a constant class-prior baseline is calibrated by construction, so ECE is compared from the second version on (the Brier score and log loss rules judge calibration and resolution together)."))
            : EceRule(champion, candidate, options, guardOnly: primary is not null));
        rules.Add(ProperScoreRule(BrierRule, "Brier score", comparison.BrierDifference, options));
        rules.Add(ProperScoreRule(LogLossRule, "log loss", comparison.LogLossDifference, options));

        double drop = comparison.ChampionAccuracy - comparison.CandidateAccuracy;
        double p = comparison.McNemarPValue;
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
            HoldoutSize = n,
            Rules = rules,
            ChampionMetrics = champion,
            CandidateMetrics = candidate,
        };
    }

    /// <summary>
    /// The ECE rule. At or below <see cref="QualityGateOptions.EceFloor"/> the candidate is well calibrated and passes
    /// against a champion above the floor. Against a champion already at or below the floor, score calibration (which has
    /// no primary rule to show the candidate is better) also asks a strictly lower log loss, so a candidate that only
    /// repeats the champion is not rolled out. Above the floor, score calibration asks the relative improvement and a
    /// classifier's guard asks the candidate not to be worse than the champion.
    /// </summary>
    private static QualityGateRuleResult EceRule(
        SortedDictionary<string, double> champion, SortedDictionary<string, double> candidate, QualityGateOptions options, bool guardOnly)
    {
        double championEce = champion[EceMetric];
        double candidateEce = candidate[EceMetric];
        double floor = options.EceFloor;
        if (guardOnly)
        {
            // A classifier's guard: binned ECE on a few hundred cases moves by about the floor from sampling alone.
            double allowed = championEce + floor;
            return new(
                EceImprovementRule,
                candidateEce <= allowed,
                candidateEce,
                allowed,
                Format($"ECE {championEce:G4} → {candidateEce:G4}; the candidate may be at most {floor:G4} (the ECE floor) worse calibrated than the champion."));
        }

        if (championEce <= floor)
        {
            double championLogLoss = champion[TrainingMetrics.LogLoss];
            double candidateLogLoss = candidate[TrainingMetrics.LogLoss];
            bool calibrated = candidateEce <= floor;
            bool better = candidateLogLoss < championLogLoss;
            return new(
                EceImprovementRule,
                calibrated && better,
                candidateEce,
                floor,
                Format($"ECE {championEce:G4} → {candidateEce:G4}, log loss {championLogLoss:G6} → {candidateLogLoss:G6}; the champion is already calibrated (at or below the floor {floor:G4}), so the candidate must stay at or below the floor and have a strictly lower log loss."));
        }

        if (candidateEce <= floor)
        {
            bool passed = candidateEce <= Math.Max(floor, championEce);
            return new(
                EceImprovementRule,
                passed,
                candidateEce,
                Math.Max(floor, championEce),
                Format($"ECE {championEce:G4} → {candidateEce:G4}; at or below the floor {floor:G4} calibration counts as good, so the candidate needs at most {Math.Max(floor, championEce):G4}."));
        }

        double relative = (championEce - candidateEce) / championEce;
        double required = guardOnly ? 0.0 : options.MinimumRelativeEceImprovement;
        bool ok = candidateEce <= championEce * (1.0 - required);
        return new(
            EceImprovementRule,
            ok,
            relative,
            required,
            guardOnly
                ? Format($"ECE {championEce:G4} → {candidateEce:G4}: {relative:P2} relative improvement; the candidate must not be worse calibrated than the champion.")
                : Format($"ECE {championEce:G4} → {candidateEce:G4}: {relative:P2} relative improvement; at least {required:P2} is required."));
    }

    private static QualityGateRuleResult ProperScoreRule(string rule, string metric, ConfidenceInterval difference, QualityGateOptions options)
    {
        bool passed = !options.RequireProperScoresNotWorse || !difference.IsAboveZero;
        return new(
            rule,
            passed,
            difference.Estimate,
            0.0,
            Format($"{metric} difference (candidate − champion) {difference.Estimate:G4}, {difference.Confidence:P0} paired interval [{difference.Lower:G4}, {difference.Upper:G4}]; the rule fails when the whole interval is above 0."));
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

    /// <summary>The paired numbers the rules need, from the bootstrap or, for large holdouts, from the normal approximation.</summary>
    private readonly record struct Paired(
        double ChampionAccuracy,
        double CandidateAccuracy,
        double McNemarPValue,
        long ChampionOnlyCorrect,
        long CandidateOnlyCorrect,
        ConfidenceInterval BrierDifference,
        ConfidenceInterval LogLossDifference)
    {
        public static Paired FromBootstrap(ModelComparisonResult r) =>
            new(r.ChampionAccuracy, r.CandidateAccuracy, r.McNemar.PValue, r.ChampionOnlyCorrect, r.CandidateOnlyCorrect, r.BrierDifference, r.LogLossDifference);

        /// <summary>
        /// The Brier score and log loss are means of per-case losses, so their paired difference is the mean of the
        /// per-case differences; on a large holdout its interval is the normal one, mean ± z·sd/√n (the central limit
        /// theorem the bootstrap would reproduce at a thousand times the cost). McNemar's exact test is unchanged.
        /// </summary>
        public static Paired FromNormalApproximation(
            ReadOnlySpan<double> champion, ReadOnlySpan<bool> championLabels, ReadOnlySpan<double> candidate, ReadOnlySpan<bool> candidateLabels, double confidence)
        {
            CalibrationMetrics.ValidateBinary(champion, championLabels, nameof(champion), nameof(championLabels));
            CalibrationMetrics.ValidateBinary(candidate, candidateLabels, nameof(candidate), nameof(candidateLabels));
            if (championLabels.Length != candidateLabels.Length)
            {
                throw new ArgumentException(
                    $"The champion was judged on {championLabels.Length} cases and the candidate on {candidateLabels.Length}; both need the same held-out cases.", nameof(candidateLabels));
            }

            int n = candidateLabels.Length;
            long championCorrect = 0, candidateCorrect = 0, championOnly = 0, candidateOnly = 0;
            double brierSum = 0, brierSquares = 0, logSum = 0, logSquares = 0;
            for (int i = 0; i < n; i++)
            {
                bool yh = championLabels[i];
                bool y = candidateLabels[i];
                bool h = champion[i] >= ModelComparison.DefaultThreshold == yh;
                bool c = candidate[i] >= ModelComparison.DefaultThreshold == y;
                championCorrect += h ? 1 : 0;
                candidateCorrect += c ? 1 : 0;
                championOnly += h && !c ? 1 : 0;
                candidateOnly += c && !h ? 1 : 0;
                double target = y ? 1.0 : 0.0;
                double championTarget = yh ? 1.0 : 0.0;
                double brier = ((candidate[i] - target) * (candidate[i] - target)) - ((champion[i] - championTarget) * (champion[i] - championTarget));
                double log = Loss(candidate[i], y) - Loss(champion[i], yh);
                brierSum += brier;
                brierSquares += brier * brier;
                logSum += log;
                logSquares += log * log;
            }

            double z = MathNet.Numerics.Distributions.Normal.InvCDF(0.0, 1.0, 0.5 + (confidence / 2.0));
            return new(
                (double)championCorrect / n,
                (double)candidateCorrect / n,
                Statistics.HypothesisTests.McNemar(championOnly, candidateOnly, exact: true).PValue,
                championOnly,
                candidateOnly,
                Interval(brierSum, brierSquares, n, z, confidence),
                Interval(logSum, logSquares, n, z, confidence));
        }

        private static double Loss(double p, bool y)
        {
            double clipped = Math.Clamp(p, CalibrationMetrics.LogLossEpsilon, 1.0 - CalibrationMetrics.LogLossEpsilon);
            return -Math.Log(y ? clipped : 1.0 - clipped);
        }

        private static ConfidenceInterval Interval(double sum, double squares, int n, double z, double confidence)
        {
            double mean = sum / n;
            double variance = Math.Max(0.0, (squares - (n * mean * mean)) / (n - 1));
            double half = z * Math.Sqrt(variance / n);
            return new ConfidenceInterval(mean, mean - half, mean + half, confidence);
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
