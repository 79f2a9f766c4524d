using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The Page-Hinkley test for an increase in the mean of a stream (Page, "Continuous inspection schemes",
/// Biometrika 41, 1954), in the streaming form of Gama et al. ("A survey on concept drift adaptation",
/// ACM Computing Surveys 46(4), 2014) with a fading factor, as river's <c>PageHinkley(mode="up")</c>:
/// <code>
/// x̄ₜ = running mean of x₁ … xₜ
/// mₜ = α·mₜ₋₁ + (xₜ − x̄ₜ − δ)
/// Mₜ = min(M₁ … Mₜ)         PHₜ = mₜ − Mₜ
/// alarm when t ≥ minimum instances and PHₜ &gt; λ, then start afresh
/// </code>
/// δ is the magnitude of change tolerated, λ the alarm threshold (larger: fewer false alarms, later
/// detection) and α ≤ 1 fades old deviations (α = 1 is the classical test). Fed the error stream
/// (1 for a wrong prediction, 0 for a right one) it raises an alarm when the error rate rises. With α &lt; 1
/// a long, large fall of the mean can also end in an alarm (the faded sum climbs back from its minimum while
/// the minimum stays), as in river; use α = 1 where only rises may alarm.
/// Written by hand because no package available here (MathNet.Numerics included) provides change
/// detectors. Not thread-safe: one writer at a time (see <see cref="ErrorStreamMonitor"/>).
/// </summary>
internal sealed class PageHinkley
{
    private double mean;
    private double sum;
    private double minimum;

    /// <summary>Initializes a new instance of the <see cref="PageHinkley"/> class.</summary>
    /// <param name="delta">δ, the tolerated change in mean (zero or more).</param>
    /// <param name="threshold">λ, the alarm threshold (positive).</param>
    /// <param name="alpha">α, the fading factor, in (0, 1].</param>
    /// <param name="minimumInstances">The number of points seen before an alarm may be raised (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range or NaN.</exception>
    public PageHinkley(
        double delta = MonitoringConstants.DefaultPageHinkleyDelta,
        double threshold = MonitoringConstants.DefaultPageHinkleyThreshold,
        double alpha = MonitoringConstants.DefaultPageHinkleyAlpha,
        int minimumInstances = MonitoringConstants.DefaultPageHinkleyMinimumInstances)
    {
        Delta = Guard.NonNegative(delta);
        Threshold = Guard.Positive(threshold);
        Alpha = Guard.InRange(alpha, double.Epsilon, 1.0);
        MinimumInstances = Guard.Positive(minimumInstances);
        Reset();
    }

    /// <summary>Gets δ, the tolerated change in mean.</summary>
    public double Delta { get; }

    /// <summary>Gets λ, the alarm threshold.</summary>
    public double Threshold { get; }

    /// <summary>Gets α, the fading factor.</summary>
    public double Alpha { get; }

    /// <summary>Gets the number of points seen before an alarm may be raised.</summary>
    public int MinimumInstances { get; }

    /// <summary>Gets the number of points since the start or the last alarm.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the running mean x̄ since the start or the last alarm (0 before the first point).</summary>
    public double Mean => mean;

    /// <summary>Gets the test statistic PH = m − M after the last point.</summary>
    public double Statistic => Count == 0 ? 0.0 : sum - minimum;

    /// <summary>Gets the number of alarms raised so far.</summary>
    public long ChangesDetected { get; private set; }

    /// <summary>Adds a point and tests for an increase in mean.</summary>
    /// <param name="value">The point (finite), e.g. 1 for an error and 0 for a correct prediction.</param>
    /// <returns><see langword="true"/> when the point raised an alarm; the detector has then started afresh.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public bool Add(double value)
    {
        Guard.Finite(value);
        Count++;
        mean += (value - mean) / Count;
        sum = (Alpha * sum) + (value - mean - Delta);
        minimum = Math.Min(minimum, sum);
        if (Count >= MinimumInstances && sum - minimum > Threshold)
        {
            ChangesDetected++;
            Reset();
            return true;
        }

        return false;
    }

    /// <summary>Forgets every point (the alarm count is kept).</summary>
    public void Reset()
    {
        Count = 0;
        mean = 0.0;
        sum = 0.0;
        minimum = double.PositiveInfinity;
    }
}
