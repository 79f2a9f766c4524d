using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Beta calibration (Kull, Silva Filho and Flach 2017), the three-parameter family
/// p = 1 / (1 + 1 / (e^c · s^a / (1 − s)^b)) with a, b ≥ 0, for scores s that are probabilities.
/// </summary>
/// <remarks>
/// <para>
/// The fit follows the authors' reference implementation (<c>betacal</c>, <c>_beta_calibration</c>):
/// logistic regression of the label on the features [ln s, −ln(1 − s)], with the same objective as
/// its scikit-learn <c>LogisticRegression(C = 99999999999)</c>, i.e. the summed log loss plus
/// ‖(a, b)‖² / (2C) (the intercept c is not penalised), minimised here by Newton's method to the
/// optimum. If a comes out negative the fit is redone on −ln(1 − s) alone with a = 0; else if b
/// is negative, on ln s alone with b = 0 — the reference implementation's treatment of the constraint.
/// The reference stops there and can return a negative coefficient when the scores are anti-informative
/// (for example with flipped labels); here, when the one-feature refit is negative too, the other single
/// feature is tried, and if neither is non-negative the map is the constant σ(c) with a = b = 0 and c the
/// log-odds of the positive rate (the optimum of the objective on the constraint's corner), so a, b ≥ 0
/// always holds and every fitted calibrator serialises.
/// </para>
/// <para>
/// Scores must be probabilities in [0, 1]; they are clipped to [ε, 1 − ε] with ε = 2⁻⁵² (the
/// reference implementation's <c>np.finfo(float).eps</c>) so the logarithms are finite.
/// </para>
/// </remarks>
public sealed class BetaCalibrator : ICalibrator
{
    /// <summary>ε: scores are clipped to [ε, 1 − ε] before their logarithms are taken.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>The inverse regularisation strength of the reference implementation's logistic regression.</summary>
    private const double ReferenceC = 99999999999.0;

    private BetaCalibrator(double a, double b, double c, SolverReport report)
    {
        A = a;
        B = b;
        C = c;
        Report = report;
    }

    /// <summary>Gets a ≥ 0, the weight of ln s.</summary>
    public double A { get; }

    /// <summary>Gets b ≥ 0, the weight of −ln(1 − s).</summary>
    public double B { get; }

    /// <summary>Gets the intercept c.</summary>
    public double C { get; }

    /// <summary>Gets how the Newton solver of the final fit ended.</summary>
    public SolverReport Report { get; }

    /// <inheritdoc />
    public CalibrationMethod Method => CalibrationMethod.Beta;

    /// <summary>Fits a, b and c to probabilities and their labels.</summary>
    /// <param name="scores">Probabilities in [0, 1].</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">Empty or mismatched spans, a score outside [0, 1] or NaN, or only one class.</exception>
    public static BetaCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllProbabilities(scores);
        Guard.BothClasses(labels);

        var logS = new double[scores.Length];
        var minusLogOneMinusS = new double[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            double s = Math.Clamp(scores[i], Epsilon, 1.0 - Epsilon);
            logS[i] = Math.Log(s);
            minusLogOneMinusS[i] = -Math.Log(1.0 - s);
        }

        int positives = labels.Count(true);
        double prior = Math.Log((double)positives / (labels.Length - positives));
        const double l2 = 1.0 / ReferenceC;
        LogisticSolution both = LogisticNewtonSolver.Minimize(logS, minusLogOneMinusS, labels, 1.0, 0.0, l2, prior);
        if (both.Weight0 >= 0.0 && both.Weight1 >= 0.0)
        {
            return new BetaCalibrator(both.Weight0, both.Weight1, both.Intercept, both.Report);
        }

        // The reference drops a first when it is negative, else b; the other single feature is the fallback.
        bool dropA = both.Weight0 < 0.0;
        BetaCalibrator? first = FitOneFeature(keepB: dropA, logS, minusLogOneMinusS, labels, l2, prior);
        return first
            ?? FitOneFeature(keepB: !dropA, logS, minusLogOneMinusS, labels, l2, prior)
            ?? new BetaCalibrator(0.0, 0.0, prior, new SolverReport(0, Converged: true));
    }

    /// <summary>Refits on one feature with the other's coefficient at 0; null when the kept coefficient is negative.</summary>
    private static BetaCalibrator? FitOneFeature(bool keepB, double[] logS, double[] minusLogOneMinusS, ReadOnlySpan<bool> labels, double l2, double prior)
    {
        double[] feature = keepB ? minusLogOneMinusS : logS;
        LogisticSolution one = LogisticNewtonSolver.Minimize(feature, ReadOnlySpan<double>.Empty, labels, 1.0, 0.0, l2, prior);
        if (one.Weight0 < 0.0)
        {
            return null;
        }

        return keepB
            ? new BetaCalibrator(0.0, one.Weight0, one.Intercept, one.Report)
            : new BetaCalibrator(one.Weight0, 0.0, one.Intercept, one.Report);
    }

    /// <summary>The beta calibration map σ(c + a·ln s − b·ln(1 − s)) with s clipped to [ε, 1 − ε], shared by fitting and inference.</summary>
    /// <param name="score">The probability s.</param>
    /// <param name="a">a.</param>
    /// <param name="b">b.</param>
    /// <param name="c">c.</param>
    /// <returns>The calibrated probability, in [0, 1].</returns>
    public static double Probability(double score, double a, double b, double c)
    {
        double s = Math.Clamp(score, Epsilon, 1.0 - Epsilon);
        return Logistic.Sigmoid(c + (a * Math.Log(s)) - (b * Math.Log(1.0 - s)));
    }

    /// <inheritdoc />
    /// <remarks>The score must be a probability in [0, 1].</remarks>
    public double Calibrate(double score) => Probability(Guard.Probability(score), A, B, C);

    /// <inheritdoc />
    /// <remarks>Each score must be a probability in [0, 1].</remarks>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        double a = A, b = B, c = C;
        for (int i = 0; i < scores.Length; i++)
        {
            double s = scores[i];
            if (!(s >= 0.0 && s <= 1.0))
            {
                Guard.ThrowNotProbability(s, i, nameof(scores));
            }

            destination[i] = Probability(s, a, b, c);
        }
    }

    internal static BetaCalibrator Restore(double a, double b, double c, SolverReport report) => new(a, b, c, report);
}
