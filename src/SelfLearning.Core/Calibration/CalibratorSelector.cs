using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Chooses a calibration method by seeded, stratified k-fold cross-validation: each candidate is
/// fitted on k − 1 folds and scored on the held-out one; the method with the lowest mean log loss
/// wins, the lower mean Brier score breaking ties, and it is refitted on all the data.
/// </summary>
public static class CalibratorSelector
{
    /// <summary>Mean log losses within this relative distance count as a tie, decided by the Brier score.</summary>
    private const double TieTolerance = 1e-12;

    /// <summary>Cross-validates the candidate methods and refits the best on all the data.</summary>
    /// <param name="scores">The host model's scores, finite; probabilities in [0, 1] if a candidate needs them (beta, histogram binning).</param>
    /// <param name="labels">Whether each case is positive.</param>
    /// <param name="options">The folds, seed and candidates; <see langword="null"/> for the defaults.</param>
    /// <returns>The chosen calibrator and every candidate's fold scores.</returns>
    /// <exception cref="ArgumentException">
    /// Empty or mismatched spans, a score not finite (or not a probability where a candidate needs one),
    /// fewer cases than folds, a class too rare for every training split to hold both classes, or invalid options.
    /// </exception>
    public static CalibratorSelection Select(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, CalibratorSelectorOptions? options = null)
    {
        options ??= new CalibratorSelectorOptions();
        int folds = Guard.InRange(options.Folds, 2, int.MaxValue, "options.Folds");
        int bins = Guard.Positive(options.HistogramBins, "options.HistogramBins");
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllFinite(scores);
        Guard.BothClasses(labels);
        bool probabilities = AreProbabilities(scores);
        CalibrationMethod[] candidates = Candidates(options, probabilities, scores);
        if (scores.Length < folds)
        {
            throw new ArgumentException($"'scores' has {scores.Length} cases, fewer than the {folds} folds.", nameof(scores));
        }

        int[] fold = AssignFolds(labels, folds, options.Seed);
        var x = scores.ToArray();
        var y = labels.ToArray();
        var results = new CalibrationMethodScores[candidates.Length];
        for (int c = 0; c < candidates.Length; c++)
        {
            var logLoss = new double[folds];
            var brier = new double[folds];
            for (int f = 0; f < folds; f++)
            {
                var (trainX, trainY, testX, testY) = Split(x, y, fold, f);
                ICalibrator calibrator = FitMethod(candidates[c], trainX, trainY, bins);
                var predicted = new double[testX.Length];
                calibrator.Calibrate(testX, predicted);
                (logLoss[f], brier[f]) = Score(predicted, testY);
            }

            results[c] = new CalibrationMethodScores(candidates[c], logLoss, brier);
        }

        CalibrationMethodScores best = results[0];
        for (int c = 1; c < results.Length; c++)
        {
            CalibrationMethodScores r = results[c];
            bool tie = Math.Abs(r.MeanLogLoss - best.MeanLogLoss) <= TieTolerance * Math.Max(Math.Abs(best.MeanLogLoss), double.Epsilon);
            if ((!tie && r.MeanLogLoss < best.MeanLogLoss) || (tie && r.MeanBrier < best.MeanBrier))
            {
                best = r;
            }
        }

        return new CalibratorSelection(FitMethod(best.Method, x, y, bins), results, folds, options.Seed);
    }

    /// <summary>Fits one method; the selector's single place that knows each method's fit.</summary>
    internal static ICalibrator FitMethod(CalibrationMethod method, double[] scores, bool[] labels, int bins) => method switch
    {
        CalibrationMethod.Platt => PlattCalibrator.Fit(scores, labels),
        CalibrationMethod.Isotonic => IsotonicCalibrator.Fit(scores, labels),
        CalibrationMethod.Temperature => TemperatureScaling.FitBinary(scores, labels),
        CalibrationMethod.HistogramBinning => HistogramBinningCalibrator.Fit(scores, labels, bins),
        CalibrationMethod.Beta => BetaCalibrator.Fit(scores, labels),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, $"Unknown calibration method {method}."),
    };

    /// <summary>Mean log loss (probabilities clipped to [1e-15, 1 − 1e-15]) and Brier score of one fold.</summary>
    internal static (double LogLoss, double Brier) Score(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels)
    {
        const double eps = CalibrationConstants.LogLossEpsilon;
        double logLoss = 0.0, brier = 0.0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], eps, 1.0 - eps);
            double y = labels[i] ? 1.0 : 0.0;
            logLoss -= labels[i] ? Math.Log(p) : Math.Log(1.0 - p);
            brier += (probabilities[i] - y) * (probabilities[i] - y);
        }

        return (logLoss / probabilities.Length, brier / probabilities.Length);
    }

    /// <summary>
    /// Stratified assignment: each class is shuffled with the seed (Fisher–Yates on
    /// <see cref="Random(int)"/>, whose seeded sequence is stable across .NET versions) and dealt to the
    /// folds in turn, the negatives continuing where the positives stopped so fold sizes differ by at most one.
    /// </summary>
    internal static int[] AssignFolds(ReadOnlySpan<bool> labels, int folds, int seed)
    {
        var positives = new List<int>();
        var negatives = new List<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            (labels[i] ? positives : negatives).Add(i);
        }

        foreach (var (count, name) in new[] { (positives.Count, "positive"), (negatives.Count, "negative") })
        {
            if (count < 2)
            {
                throw new ArgumentException(
                    $"'labels' holds {count} {name} case(s); with {folds} folds some training split would lack that class. At least 2 are needed.",
                    nameof(labels));
            }
        }

        var random = new Random(seed);
        var fold = new int[labels.Length];
        int next = 0;
        foreach (List<int> members in new[] { positives, negatives })
        {
            for (int i = members.Count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }

            foreach (int index in members)
            {
                fold[index] = next;
                next = (next + 1) % folds;
            }
        }

        return fold;
    }

    private static (double[] TrainX, bool[] TrainY, double[] TestX, bool[] TestY) Split(double[] x, bool[] y, int[] fold, int held)
    {
        int test = fold.Count(f => f == held);
        var trainX = new double[x.Length - test];
        var trainY = new bool[x.Length - test];
        var testX = new double[test];
        var testY = new bool[test];
        int tr = 0, te = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (fold[i] == held)
            {
                testX[te] = x[i];
                testY[te++] = y[i];
            }
            else
            {
                trainX[tr] = x[i];
                trainY[tr++] = y[i];
            }
        }

        return (trainX, trainY, testX, testY);
    }

    private static bool AreProbabilities(ReadOnlySpan<double> scores)
    {
        foreach (double s in scores)
        {
            if (!(s >= 0.0 && s <= 1.0))
            {
                return false;
            }
        }

        return true;
    }

    private static CalibrationMethod[] Candidates(CalibratorSelectorOptions options, bool probabilities, ReadOnlySpan<double> scores)
    {
        if (options.Candidates is null)
        {
            return probabilities
                ? [CalibrationMethod.Platt, CalibrationMethod.Isotonic, CalibrationMethod.Beta, CalibrationMethod.HistogramBinning]
                : [CalibrationMethod.Platt, CalibrationMethod.Isotonic, CalibrationMethod.Temperature];
        }

        if (options.Candidates.Count == 0)
        {
            throw new ArgumentException("'options.Candidates' is empty; name at least one method or leave it null for the default.", "options.Candidates");
        }

        CalibrationMethod[] candidates = options.Candidates.Distinct().ToArray();
        foreach (CalibrationMethod method in candidates)
        {
            if (!Enum.IsDefined(method))
            {
                throw new ArgumentOutOfRangeException("options.Candidates", method, $"'options.Candidates' holds an unknown method {method}.");
            }

            if (!probabilities && method is CalibrationMethod.Beta or CalibrationMethod.HistogramBinning)
            {
                Guard.AllProbabilities(scores);
            }
        }

        return candidates;
    }
}
