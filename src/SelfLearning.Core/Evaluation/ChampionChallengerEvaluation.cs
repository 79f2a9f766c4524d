using System.Globalization;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Evaluation;

/// <summary>What the evaluation found: the gate's verdict and what the version keeps for the live watch.</summary>
/// <param name="Verdict">Every rule with its numbers.</param>
/// <param name="Metrics">The candidate's held-out metrics (with the holdout size), registered with the version.</param>
internal sealed record CandidateEvaluation(QualityGateVerdict Verdict, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Scores the candidate and the champion on the same held-out cases, by the task of their model type, and runs the
/// gate: score calibration and classification through <see cref="QualityGate"/> (a classifier also on its primary
/// metric), regression on MAE and RMSE with paired intervals, clustering on silhouette, inertia and stability. A first
/// candidate is judged against a baseline: the uncalibrated score, the class priors or the mean target of the
/// training split; a first clustering only on its own silhouette.
/// </summary>
internal static class ChampionChallengerEvaluation
{

    /// <summary>The rule names of the task-specific rules.</summary>
    public const string PrimaryRule = "primary-metric-better";
    public const string ErrorImprovementRule = "mae-relative-improvement";
    public const string MaeRule = "mae-not-worse";
    public const string RmseRule = "rmse-not-worse";
    public const string SilhouetteRule = "silhouette-not-lower";
    public const string InertiaRule = "inertia-relative-improvement";
    public const string StabilityRule = "stability-adjusted-rand";

    /// <summary>The most held-out cases the silhouette is computed on (it is quadratic): the first ones, in holdout order.</summary>
    public const int SilhouetteSample = 2_000;

    public static CandidateEvaluation Evaluate(
        TaskKind task,
        TrainingTable holdout,
        TrainingTable training,
        ServedModel candidate,
        ServedModel? champion,
        QualityGateOptions gate,
        CalibrationScoreSource scoreSource)
    {
        QualityGateVerdict verdict = task switch
        {
            TaskKind.ScoreCalibration => Calibration(holdout, candidate, champion, gate, scoreSource),
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification => Classification(task, holdout, training, candidate, champion, gate),
            TaskKind.Regression => Regression(holdout, training, candidate, champion, gate),
            TaskKind.Clustering => Clustering(holdout, candidate, champion, gate),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, $"Task {task} is not one the loop evaluates."),
        };
        // The held-out size is registered with the version's lineage (ModelLineage.HoldoutSize), not as a metric.
        return new CandidateEvaluation(verdict, new SortedDictionary<string, double>(verdict.CandidateMetrics.ToDictionary(), StringComparer.Ordinal));
    }

    private static QualityGateVerdict Calibration(TrainingTable holdout, ServedModel candidate, ServedModel? champion, QualityGateOptions gate, CalibrationScoreSource scoreSource)
    {
        ReadOnlySpan<double> scores = holdout.Scores;
        var candidateProbability = new double[scores.Length];
        candidate.Calibrate(scores, candidateProbability);
        double[] championProbability;
        if (champion is null)
        {
            championProbability = UncalibratedBaseline.Probabilities(scores, scoreSource);
        }
        else
        {
            championProbability = new double[scores.Length];
            champion.Calibrate(scores, championProbability);
        }

        return QualityGate.Evaluate(championProbability, candidateProbability, holdout.Outcomes, gate);
    }

    private static QualityGateVerdict Classification(TaskKind task, TrainingTable holdout, TrainingTable training, ServedModel candidate, ServedModel? champion, QualityGateOptions gate)
    {
        if (task == TaskKind.BinaryClassification && candidate.Classes.Count != 2)
        {
            throw new InvalidOperationException(
                $"The model is binary, but its training data has {candidate.Classes.Count} classes ({string.Join(", ", candidate.Classes)}); use a multiclass model type such as '{SoftmaxRegressionTrainer.Key}'.");
        }

        if (task == TaskKind.BinaryClassification && gate.PrimaryMetric == GateMetric.Auc && champion is not null && champion.Classes.Count != 2)
        {
            throw new InvalidOperationException("The AUC needs a binary champion too.");
        }

        IReadOnlyList<string> labels = holdout.Labels;
        var candidateSide = Classify(candidate, holdout);
        var championSide = champion is null ? Prior(training.Labels, candidate.Classes, labels) : Classify(champion, holdout);
        QualityGateRuleResult primary = Primary(gate, candidateSide, championSide, labels, candidate.Classes.Count == 2 ? candidate.Classes[1] : null);
        return QualityGate.Evaluate(championSide.Confidence, championSide.Correct, candidateSide.Confidence, candidateSide.Correct, gate, primary, constantBaseline: champion is null);
    }

    /// <summary>Each case's predicted label, calibrated confidence in it, whether it is right, and (binary) the calibrated probability of the second class.</summary>
    private sealed record Side(string[] Predicted, double[] Confidence, bool[] Correct, double[] SecondClass);

    private static Side Classify(ServedModel model, TrainingTable holdout)
    {
        int n = holdout.RowCount;
        var side = new Side(new string[n], new double[n], new bool[n], new double[n]);
        var probabilities = new double[model.Classes.Count];
        for (int i = 0; i < n; i++)
        {
            model.PredictProbabilities(holdout.GetFeatures(i), holdout.GetAttributes(i), probabilities);
            int index = model.Decide(probabilities, out double confidence);
            string predicted = model.Classes[index];
            side.Predicted[i] = predicted;
            side.Confidence[i] = confidence;
            side.Correct[i] = string.Equals(predicted, holdout.Labels[i], StringComparison.Ordinal);
            side.SecondClass[i] = model.Classes.Count == 2 ? (index == 1 ? confidence : 1.0 - confidence) : double.NaN;
        }

        return side;
    }

    /// <summary>The class-prior baseline: the training split's most frequent class, with its frequency as confidence.</summary>
    private static Side Prior(IReadOnlyList<string> trainingLabels, IReadOnlyList<string> classes, IReadOnlyList<string> labels)
    {
        var counts = trainingLabels.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        string top = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
        double share = (double)counts[top] / trainingLabels.Count;
        double second = classes.Count == 2 ? (double)counts.GetValueOrDefault(classes[1]) / trainingLabels.Count : double.NaN;
        int n = labels.Count;
        var side = new Side(new string[n], new double[n], new bool[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            side.Predicted[i] = top;
            side.Confidence[i] = share;
            side.Correct[i] = string.Equals(top, labels[i], StringComparison.Ordinal);
            side.SecondClass[i] = second;
        }

        return side;
    }

    private static QualityGateRuleResult Primary(QualityGateOptions gate, Side candidate, Side champion, IReadOnlyList<string> labels, string? secondClass)
    {
        double candidateValue, championValue;
        bool higherIsBetter;
        switch (gate.PrimaryMetric)
        {
            case GateMetric.LogLoss:
                (candidateValue, championValue, higherIsBetter) = (CalibrationMetrics.LogLoss(candidate.Confidence, candidate.Correct), CalibrationMetrics.LogLoss(champion.Confidence, champion.Correct), false);
                break;
            case GateMetric.Accuracy:
                (candidateValue, championValue, higherIsBetter) = (Mean(candidate.Correct), Mean(champion.Correct), true);
                break;
            case GateMetric.Ece:
                (candidateValue, championValue, higherIsBetter) = (
                    CalibrationMetrics.ExpectedCalibrationError(candidate.Confidence, candidate.Correct, gate.Bins),
                    CalibrationMetrics.ExpectedCalibrationError(champion.Confidence, champion.Correct, gate.Bins),
                    false);
                break;
            case GateMetric.F1:
                (candidateValue, championValue, higherIsBetter) = (
                    ClassificationMetrics.Compute(labels, candidate.Predicted).Macro.F1,
                    ClassificationMetrics.Compute(labels, champion.Predicted).Macro.F1,
                    true);
                break;
            case GateMetric.Auc when secondClass is not null:
                var positive = labels.Select(l => string.Equals(l, secondClass, StringComparison.Ordinal)).ToArray();
                (candidateValue, championValue, higherIsBetter) = (ClassificationMetrics.RocAuc(candidate.SecondClass, positive), Auc(champion.SecondClass, positive), true);
                break;
            default:
                throw new InvalidOperationException($"The primary metric {gate.PrimaryMetric} is not defined for a model with {(secondClass is null ? "more than two" : "two")} classes.");
        }

        bool better = higherIsBetter ? candidateValue > championValue : candidateValue < championValue;
        return new QualityGateRuleResult(
            PrimaryRule,
            better,
            candidateValue,
            championValue,
            Format($"Primary metric {gate.PrimaryMetric}: {championValue:G4} → {candidateValue:G4}; the candidate must be {(higherIsBetter ? "higher" : "lower")}."));
    }

    /// <summary>The AUC of a constant score (the prior baseline) is 0.5, which scikit-learn also gives.</summary>
    private static double Auc(double[] scores, bool[] labels) =>
        scores.All(s => s == scores[0]) ? 0.5 : ClassificationMetrics.RocAuc(scores, labels);

    private static QualityGateVerdict Regression(TrainingTable holdout, TrainingTable training, ServedModel candidate, ServedModel? champion, QualityGateOptions gate)
    {
        int n = holdout.RowCount;
        ReadOnlySpan<double> y = holdout.Targets;
        var candidatePrediction = new double[n];
        var championPrediction = new double[n];
        double mean = champion is null ? Mean(training.Targets) : 0.0;
        for (int i = 0; i < n; i++)
        {
            candidatePrediction[i] = candidate.Regress(holdout.GetFeatures(i), holdout.GetAttributes(i));
            championPrediction[i] = champion is null ? mean : champion.Regress(holdout.GetFeatures(i), holdout.GetAttributes(i));
        }

        RegressionMetrics candidateMetrics = RegressionMetrics.Compute(y, candidatePrediction);
        RegressionMetrics championMetrics = RegressionMetrics.Compute(y, championPrediction);
        var absolute = new double[n];
        var squared = new double[n];
        for (int i = 0; i < n; i++)
        {
            double c = candidatePrediction[i] - y[i];
            double h = championPrediction[i] - y[i];
            absolute[i] = Math.Abs(c) - Math.Abs(h);
            squared[i] = (c * c) - (h * h);
        }

        ConfidenceInterval maeDifference = PairedMean(absolute, gate);
        ConfidenceInterval squaredDifference = PairedMean(squared, gate);
        double relative = championMetrics.MeanAbsoluteError > 0.0
            ? (championMetrics.MeanAbsoluteError - candidateMetrics.MeanAbsoluteError) / championMetrics.MeanAbsoluteError
            : (candidateMetrics.MeanAbsoluteError > 0.0 ? -1.0 : 0.0);
        bool improved = championMetrics.MeanAbsoluteError > 0.0
            ? relative >= gate.MinimumRelativeErrorImprovement
            : candidateMetrics.MeanAbsoluteError <= championMetrics.MeanAbsoluteError;
        var rules = new List<QualityGateRuleResult>
        {
            MinimumHoldout(n, gate),
            new(ErrorImprovementRule, improved, relative, gate.MinimumRelativeErrorImprovement,
                Format($"MAE {championMetrics.MeanAbsoluteError:G4} → {candidateMetrics.MeanAbsoluteError:G4}: {relative:P2} relative improvement; at least {gate.MinimumRelativeErrorImprovement:P2} is required.")),
            NotWorse(MaeRule, "absolute error", maeDifference),
            NotWorse(RmseRule, "squared error", squaredDifference),
        };
        return Verdict(n, rules, RegressionMap(championMetrics), RegressionMap(candidateMetrics));
    }

    private static QualityGateVerdict Clustering(TrainingTable holdout, ServedModel candidate, ServedModel? champion, QualityGateOptions gate)
    {
        int n = holdout.RowCount;
        var points = new double[n][];
        var candidateAssignments = new int[n];
        var championAssignments = champion is null ? null : new int[n];
        for (int i = 0; i < n; i++)
        {
            points[i] = holdout.GetFeatures(i).ToArray();
            candidateAssignments[i] = candidate.Assign(points[i], holdout.GetAttributes(i));
            if (championAssignments is not null)
            {
                championAssignments[i] = champion!.Assign(points[i], holdout.GetAttributes(i));
            }
        }

        int sample = Math.Min(n, SilhouetteSample);
        var candidateMetrics = ClusteringMap(points, candidateAssignments, sample);
        var championMetrics = championAssignments is null ? new SortedDictionary<string, double>(StringComparer.Ordinal) : ClusteringMap(points, championAssignments, sample);
        var rules = new List<QualityGateRuleResult> { MinimumHoldout(n, gate) };
        double candidateSilhouette = candidateMetrics[TrainingMetrics.Silhouette];
        if (championAssignments is null)
        {
            rules.Add(new(SilhouetteRule, candidateSilhouette > 0.0, candidateSilhouette, 0.0,
                Format($"Held-out silhouette {candidateSilhouette:G4}; a first clustering needs more than 0 (clusters better separated than mixed).")));
        }
        else
        {
            double championSilhouette = championMetrics[TrainingMetrics.Silhouette];
            rules.Add(new(SilhouetteRule, candidateSilhouette >= championSilhouette - gate.MaximumSilhouetteDrop, candidateSilhouette, championSilhouette - gate.MaximumSilhouetteDrop,
                Format($"Held-out silhouette {championSilhouette:G4} → {candidateSilhouette:G4}; it may fall by at most {gate.MaximumSilhouetteDrop:G4}.")));
            double championInertia = championMetrics[InertiaMetric];
            double candidateInertia = candidateMetrics[InertiaMetric];
            double relative = championInertia > 0.0 ? (championInertia - candidateInertia) / championInertia : 0.0;
            rules.Add(new(InertiaRule, championInertia > 0.0 ? relative >= gate.MinimumRelativeInertiaImprovement : candidateInertia <= championInertia, relative, gate.MinimumRelativeInertiaImprovement,
                Format($"Held-out inertia per case {championInertia:G4} → {candidateInertia:G4}: {relative:P2} relative improvement; at least {gate.MinimumRelativeInertiaImprovement:P2} is required.")));
            double ari = ClusteringMetrics.AdjustedRandIndex(championAssignments, candidateAssignments);
            candidateMetrics[AdjustedRandMetric] = ari;
            rules.Add(new(StabilityRule, ari >= gate.MinimumAdjustedRandIndex, ari, gate.MinimumAdjustedRandIndex,
                Format($"Adjusted Rand index between the champion's and the candidate's held-out assignments {ari:G4}; at least {gate.MinimumAdjustedRandIndex:G4} is required.")));
        }

        return Verdict(n, rules, championMetrics, candidateMetrics);
    }

    /// <summary>The metric name of the within-cluster sum of squares per held-out case.</summary>
    public const string InertiaMetric = "inertia_per_case";

    /// <summary>The metric name of the adjusted Rand index against the champion.</summary>
    public const string AdjustedRandMetric = "adjusted_rand_index";

    private static SortedDictionary<string, double> ClusteringMap(double[][] points, int[] assignments, int sample)
    {
        var used = assignments.AsSpan(0, sample);
        int distinct = new HashSet<int>(used.ToArray()).Count;
        double silhouette = distinct >= 2 && distinct <= sample - 1 ? ClusteringMetrics.Silhouette(points[..sample], used) : 0.0;
        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [TrainingMetrics.Silhouette] = silhouette,
            [InertiaMetric] = ClusteringMetrics.InertiaPerPoint(points, assignments),
        };
    }

    private static SortedDictionary<string, double> RegressionMap(RegressionMetrics m) => new(StringComparer.Ordinal)
    {
        [TrainingMetrics.MeanAbsoluteError] = m.MeanAbsoluteError,
        [TrainingMetrics.RootMeanSquaredError] = m.RootMeanSquaredError,
        [TrainingMetrics.RSquared] = m.RSquared,
    };

    private static QualityGateRuleResult MinimumHoldout(int n, QualityGateOptions gate) =>
        new(QualityGate.MinimumHoldoutRule, n >= gate.MinimumHoldoutSize, n, gate.MinimumHoldoutSize,
            Format($"{n} held-out cases; at least {gate.MinimumHoldoutSize} are required."));

    private static QualityGateRuleResult NotWorse(string rule, string what, ConfidenceInterval difference) =>
        new(rule, !difference.IsAboveZero, difference.Estimate, 0.0,
            Format($"Mean {what} difference (candidate − champion) {difference.Estimate:G4}, {difference.Confidence:P0} paired interval [{difference.Lower:G4}, {difference.Upper:G4}]; the rule fails when the whole interval is above 0."));

    /// <summary>The paired mean difference with its percentile bootstrap interval, or the normal one above the bootstrap's case limit.</summary>
    private static ConfidenceInterval PairedMean(double[] differences, QualityGateOptions gate)
    {
        if (differences.Length <= gate.MaximumBootstrapCases)
        {
            return Bootstrap.PercentileInterval(
                differences.Length,
                indices =>
                {
                    double sum = 0.0;
                    foreach (int i in indices)
                    {
                        sum += differences[i];
                    }

                    return sum / indices.Length;
                },
                gate.BootstrapIterations,
                gate.Confidence,
                gate.Seed);
        }

        double mean = differences.Average();
        double variance = differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1);
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0.0, 1.0, 0.5 + (gate.Confidence / 2.0));
        double half = z * Math.Sqrt(variance / differences.Length);
        return new ConfidenceInterval(mean, mean - half, mean + half, gate.Confidence);
    }

    private static QualityGateVerdict Verdict(int n, List<QualityGateRuleResult> rules, IReadOnlyDictionary<string, double> champion, IReadOnlyDictionary<string, double> candidate) => new()
    {
        Passed = rules.TrueForAll(r => r.Passed),
        HoldoutSize = n,
        Rules = rules,
        ChampionMetrics = champion,
        CandidateMetrics = candidate,
    };

    private static double Mean(ReadOnlySpan<bool> values)
    {
        int count = 0;
        foreach (bool v in values)
        {
            count += v ? 1 : 0;
        }

        return (double)count / values.Length;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
