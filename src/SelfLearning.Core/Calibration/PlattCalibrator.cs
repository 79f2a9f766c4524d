using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Platt scaling (Platt 1999): p = 1 / (1 + exp(A·s + B)) for a raw score s, fitted by maximum
/// likelihood on Platt's smoothed targets (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for
/// negatives, so the optimum is finite even on separable data. Scores may be any finite numbers,
/// e.g. raw margins far outside [0, 1].
/// </summary>
/// <remarks>
/// The fit is Newton's method with a backtracking line search (Lin, Lin and Weng 2007), the same
/// objective scikit-learn's <c>_sigmoid_calibration</c> minimises with BFGS, solved to the optimum
/// rather than to BFGS's default tolerance.
/// </remarks>
public sealed class PlattCalibrator : ICalibrator
{
    private PlattCalibrator(double a, double b, SolverReport report)
    {
        A = a;
        B = b;
        Report = report;
    }

    /// <summary>Gets the slope A in p = 1 / (1 + exp(A·s + B)); negative when higher scores mean positive.</summary>
    public double A { get; }

    /// <summary>Gets the offset B in p = 1 / (1 + exp(A·s + B)).</summary>
    public double B { get; }

    /// <summary>Gets how the Newton solver ended.</summary>
    public SolverReport Report { get; }

    /// <inheritdoc />
    public CalibrationMethod Method => CalibrationMethod.Platt;

    /// <summary>Fits A and B to scores and their labels.</summary>
    /// <param name="scores">Raw scores; any finite numbers.</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">The spans are empty or of different lengths, a score is not finite, or only one class occurs.</exception>
    public static PlattCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllFinite(scores);
        Guard.BothClasses(labels);

        int positives = labels.Count(true);
        int negatives = labels.Length - positives;
        double positiveTarget = (positives + 1.0) / (positives + 2.0);
        double negativeTarget = 1.0 / (negatives + 2.0);

        // The solver fits σ(c + w·s); Platt's p = 1/(1 + exp(A·s + B)) is the same with A = −w, B = −c.
        // Platt's starting point: A = 0, B = log((N₋ + 1)/(N₊ + 1)).
        double initialB = Math.Log((negatives + 1.0) / (positives + 1.0));
        LogisticSolution solution = LogisticNewtonSolver.MinimizeOneFeature(
            scores, labels, positiveTarget, negativeTarget, initialIntercept: -initialB);
        return new PlattCalibrator(-solution.Weight0, -solution.Intercept, solution.Report);
    }

    /// <summary>Creates a calibrator from known parameters, e.g. ones stored elsewhere.</summary>
    /// <param name="a">The slope A.</param>
    /// <param name="b">The offset B.</param>
    /// <returns>The calibrator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite.</exception>
    public static PlattCalibrator FromParameters(double a, double b) =>
        new(Guard.Finite(a), Guard.Finite(b), new SolverReport(0, Converged: true));

    /// <summary>The Platt formula p = 1 / (1 + exp(A·s + B)), shared by fitting and inference.</summary>
    /// <param name="score">The score s.</param>
    /// <param name="a">The slope A.</param>
    /// <param name="b">The offset B.</param>
    /// <returns>The probability, in [0, 1].</returns>
    /// <remarks>A·s + B is one fused multiply-add, here and in the vectorised batch, so the two agree bit for bit.</remarks>
    public static double Probability(double score, double a, double b) => Logistic.Sigmoid(-Math.FusedMultiplyAdd(a, score, b));

    /// <inheritdoc />
    /// <remarks>The score may be any finite number.</remarks>
    public double Calibrate(double score) => Probability(Guard.Finite(score), A, B);

    /// <inheritdoc />
    /// <remarks>From .NET 9 four scores at a time, equal to <see cref="Calibrate(double)"/> bit for bit.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        double a = A, b = B;
        int i = 0;
        ref double s0 = ref MemoryMarshal.GetReference(scores);
        ref double d0 = ref MemoryMarshal.GetReference(destination);
        var va = Vector256.Create(a);
        var vb = Vector256.Create(b);
        for (; i <= scores.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var s = Vector256.LoadUnsafe(ref s0, (nuint)i);

            // s − s is 0 exactly when s is finite (∞ − ∞ and NaN − NaN are NaN).
            if (!Vector256.EqualsAll(s - s, Vector256<double>.Zero))
            {
                ThrowFirstNotFinite(scores, i);
            }

            Logistic.Sigmoid(-Vector256.FusedMultiplyAdd(va, s, vb)).StoreUnsafe(ref d0, (nuint)i);
        }
        for (; i < scores.Length; i++)
        {
            double s = scores[i];
            if (!double.IsFinite(s))
            {
                Guard.ThrowNotFinite(s, i, nameof(scores));
            }

            destination[i] = Probability(s, a, b);
        }
    }

    internal static PlattCalibrator Restore(double a, double b, SolverReport report) => new(a, b, report);

    private static void ThrowFirstNotFinite(ReadOnlySpan<double> scores, int from)
    {
        for (int i = from; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                Guard.ThrowNotFinite(scores[i], i, nameof(scores));
            }
        }
    }
}
