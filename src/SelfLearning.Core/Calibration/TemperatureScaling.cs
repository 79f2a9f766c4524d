using SelfLearning.Internal;

namespace SelfLearning.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one temperature T &gt; 0 divides a multiclass model's
/// logits before the softmax, chosen to minimise the negative log-likelihood of the true classes.
/// It rescales confidence without changing which class ranks first.
/// </summary>
/// <remarks>
/// <para>
/// The fit minimises NLL(β) = Σᵢ [logsumexp(β·zᵢ) − β·zᵢ,yᵢ] over β = 1/T, which is convex in β
/// (its second derivative is the variance of the logits under the softmax), by safeguarded Newton
/// on the derivative within a bracket. T is restricted to [<see cref="MinTemperature"/>,
/// <see cref="MaxTemperature"/>]: on separable data the likelihood keeps improving as T → 0, and
/// the fit then stops at the bound and reports it through <see cref="AtBound"/>.
/// </para>
/// <para>
/// As an <see cref="ICalibrator"/> the score is a binary logit s (the positive class's logit minus
/// the negative's) and the result is σ(s/T), the two-class softmax of [0, s/T]; fit that case with
/// <see cref="FitBinary"/>. For multiclass rows use <see cref="CalibrateRow"/>.
/// </para>
/// </remarks>
public sealed class TemperatureScaling : ICalibrator
{
    /// <summary>The smallest temperature a fit returns.</summary>
    public const double MinTemperature = 1e-3;

    /// <summary>The largest temperature a fit returns.</summary>
    public const double MaxTemperature = 1e3;

    /// <summary>The fit stops when the bracket on β = 1/T is narrower than this, relative to β.</summary>
    private const double RelativeTolerance = 1e-14;

    private TemperatureScaling(double temperature, SolverReport report, bool atBound)
    {
        Temperature = temperature;
        Report = report;
        AtBound = atBound;
    }

    /// <summary>Gets the fitted temperature T; logits are divided by it.</summary>
    public double Temperature { get; }

    /// <summary>Gets how the solver ended.</summary>
    public SolverReport Report { get; }

    /// <summary>Gets a value indicating whether the optimum lay outside [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] and was clipped to that bound.</summary>
    public bool AtBound { get; }

    /// <inheritdoc />
    public CalibrationMethod Method => CalibrationMethod.Temperature;

    /// <summary>Fits the temperature to multiclass logits.</summary>
    /// <param name="logits">One row per case, one column per class (at least two), all finite.</param>
    /// <param name="labels">The true class index of each case, in [0, columns).</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">No rows, fewer than two columns, a row count different from the label count, a logit not finite, or a label out of range.</exception>
    public static TemperatureScaling Fit(double[,] logits, ReadOnlySpan<int> labels)
    {
        Guard.NotNull(logits);
        int rows = logits.GetLength(0), classes = logits.GetLength(1);
        if (rows == 0)
        {
            throw new ArgumentException("'logits' must have at least one row.", nameof(logits));
        }

        if (classes < 2)
        {
            throw new ArgumentException($"'logits' must have at least two columns (classes), but has {classes}.", nameof(logits));
        }

        if (labels.Length != rows)
        {
            throw new ArgumentException($"'labels' has {labels.Length} elements but 'logits' has {rows} rows; they must match.", nameof(labels));
        }

        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                double v = logits[i, k];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentOutOfRangeException(nameof(logits), v, $"'logits' must hold finite numbers, but element [{i}, {k}] is {v}.");
                }
            }
        }

        Guard.AllClassIndices(labels, classes);
        return FitCore(logits, labels.ToArray());
    }

    /// <summary>Fits the temperature to binary logits: the two-class case of <see cref="Fit(double[,], ReadOnlySpan{int})"/> with logits [0, s].</summary>
    /// <param name="scores">Binary logits; any finite numbers.</param>
    /// <param name="labels">Whether each case is positive.</param>
    /// <returns>The fitted calibrator.</returns>
    /// <exception cref="ArgumentException">The spans are empty or of different lengths, or a score is not finite.</exception>
    public static TemperatureScaling FitBinary(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllFinite(scores);
        var logits = new double[scores.Length, 2];
        var classes = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            logits[i, 1] = scores[i];
            classes[i] = labels[i] ? 1 : 0;
        }

        return FitCore(logits, classes);
    }

    /// <summary>Creates a calibrator with a known temperature.</summary>
    /// <param name="temperature">T, finite and positive.</param>
    /// <returns>The calibrator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not a finite positive number.</exception>
    public static TemperatureScaling FromTemperature(double temperature) =>
        new(Guard.Positive(temperature), new SolverReport(0, Converged: true), atBound: false);

    /// <summary>Calibrates one row of logits into class probabilities, softmax(logits / T), without allocating.</summary>
    /// <param name="logits">The row's logits, finite.</param>
    /// <param name="probabilities">Receives the probabilities; must be as long as <paramref name="logits"/>.</param>
    /// <exception cref="ArgumentException">The row is empty, the lengths differ, or a logit is not finite.</exception>
    public void CalibrateRow(ReadOnlySpan<double> logits, Span<double> probabilities)
    {
        Guard.NotEmpty(logits);
        Guard.SameLengthDestination(logits.Length, probabilities.Length, nameof(logits));
        double max = double.NegativeInfinity;
        for (int k = 0; k < logits.Length; k++)
        {
            double v = logits[k];
            if (!double.IsFinite(v))
            {
                Guard.ThrowNotFinite(v, k, nameof(logits));
            }

            max = Math.Max(max, v);
        }

        double beta = 1.0 / Temperature, sum = 0.0;
        for (int k = 0; k < logits.Length; k++)
        {
            double e = Math.Exp(beta * (logits[k] - max));
            probabilities[k] = e;
            sum += e;
        }

        for (int k = 0; k < logits.Length; k++)
        {
            probabilities[k] /= sum;
        }
    }

    /// <inheritdoc />
    /// <remarks>The score is a binary logit; the result is σ(score / T).</remarks>
    public double Calibrate(double score) => Probability(Guard.Finite(score), Temperature);

    /// <inheritdoc />
    /// <remarks>Each score is a binary logit; each result is σ(score / T).</remarks>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        Guard.SameLengthDestination(scores.Length, destination.Length, nameof(scores));
        double temperature = Temperature;
        for (int i = 0; i < scores.Length; i++)
        {
            double s = scores[i];
            if (!double.IsFinite(s))
            {
                Guard.ThrowNotFinite(s, i, nameof(scores));
            }

            destination[i] = Probability(s, temperature);
        }
    }

    /// <summary>The binary temperature formula σ(s / T), shared by <see cref="Calibrate(double)"/> and the batch method.</summary>
    /// <param name="score">The binary logit s.</param>
    /// <param name="temperature">The temperature T.</param>
    /// <returns>The probability of the positive class, in [0, 1].</returns>
    public static double Probability(double score, double temperature) => Logistic.Sigmoid(score / temperature);

    internal static TemperatureScaling Restore(double temperature, SolverReport report, bool atBound) => new(temperature, report, atBound);

    private static TemperatureScaling FitCore(double[,] logits, int[] labels)
    {
        double lo = 1.0 / MaxTemperature, hi = 1.0 / MinTemperature;
        var (dLo, _) = Derivatives(logits, labels, lo);
        if (dLo >= 0.0)
        {
            return new TemperatureScaling(MaxTemperature, new SolverReport(0, Converged: true), atBound: true);
        }

        var (dHi, _) = Derivatives(logits, labels, hi);
        if (dHi <= 0.0)
        {
            return new TemperatureScaling(MinTemperature, new SolverReport(0, Converged: true), atBound: true);
        }

        // Safeguarded Newton (rtsafe, Numerical Recipes §9.4) on NLL'(β), which increases in β.
        double beta = Math.Clamp(1.0, lo, hi);
        for (int iteration = 1; iteration <= CalibrationConstants.MaxNewtonIterations; iteration++)
        {
            var (d1, d2) = Derivatives(logits, labels, beta);
            if (d1 == 0.0)
            {
                return new TemperatureScaling(1.0 / beta, new SolverReport(iteration, Converged: true), atBound: false);
            }

            if (d1 < 0.0)
            {
                lo = beta;
            }
            else
            {
                hi = beta;
            }

            double next = d2 > 0.0 ? beta - (d1 / d2) : double.NaN;
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            bool converged = Math.Abs(next - beta) <= RelativeTolerance * beta || hi - lo <= RelativeTolerance * beta;
            beta = next;
            if (converged)
            {
                return new TemperatureScaling(1.0 / beta, new SolverReport(iteration, Converged: true), atBound: false);
            }
        }

        return new TemperatureScaling(1.0 / beta, new SolverReport(CalibrationConstants.MaxNewtonIterations, Converged: false), atBound: false);
    }

    /// <summary>NLL'(β) = Σ (E[z] − z_y) and NLL''(β) = Σ Var[z], moments under softmax(β·z).</summary>
    private static (double First, double Second) Derivatives(double[,] logits, int[] labels, double beta)
    {
        int rows = logits.GetLength(0), classes = logits.GetLength(1);
        double first = 0.0, second = 0.0;
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                max = Math.Max(max, logits[i, k]);
            }

            double sum = 0.0, mean = 0.0;
            for (int k = 0; k < classes; k++)
            {
                double e = Math.Exp(beta * (logits[i, k] - max));
                sum += e;
                mean += e * logits[i, k];
            }

            mean /= sum;
            double variance = 0.0;
            for (int k = 0; k < classes; k++)
            {
                double e = Math.Exp(beta * (logits[i, k] - max));
                double deviation = logits[i, k] - mean;
                variance += e * deviation * deviation;
            }

            first += mean - logits[i, labels[i]];
            second += variance / sum;
        }

        return (first, second);
    }
}
