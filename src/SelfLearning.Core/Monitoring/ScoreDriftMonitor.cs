using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;
using SelfLearning.Statistics;

namespace SelfLearning.Monitoring;

/// <summary>
/// Compares the live distribution of a model's scores, or of one input feature, with the training reference:
/// the population stability index (<see cref="DriftStatistics.PopulationStabilityIndex"/>, banded at
/// <see cref="MonitoringOptions.PsiModerateThreshold"/> and <see cref="MonitoringOptions.PsiMajorThreshold"/>)
/// and the two-sample Kolmogorov-Smirnov test (<see cref="HypothesisTests.KolmogorovSmirnovTwoSample"/>).
/// Thread-safe: live values go into a ring of the last <see cref="MonitoringOptions.WindowSize"/> values under a
/// short lock; <see cref="Evaluate"/> copies the ring and tests outside the lock.
/// </summary>
public sealed class ScoreDriftMonitor
{
    private readonly object gate = new();
    private readonly double[] reference;
    private readonly double[] live;
    private readonly MonitoringOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private int next;
    private int count;
    private DriftReport? lastReport;

    /// <summary>Initializes a new instance of the <see cref="ScoreDriftMonitor"/> class.</summary>
    /// <param name="name">What is monitored, e.g. "score" or a feature name.</param>
    /// <param name="reference">The training reference sample (copied; finite values, at least two).</param>
    /// <param name="options">The monitoring options (validated here).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Logs declared drift; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The name is empty or the reference is too small or not finite.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ScoreDriftMonitor(
        string name,
        ReadOnlySpan<double> reference,
        IOptions<MonitoringOptions> options,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name);
        Guard.MinimumLength(reference, 2);
        Guard.AllFinite(reference);
        this.options = MonitoringOptionsValidator.Validated(options);
        this.reference = reference.ToArray();
        live = new double[this.options.WindowSize];
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets what is monitored.</summary>
    public string Name { get; }

    /// <summary>Gets the number of live values held (at most <see cref="MonitoringOptions.WindowSize"/>).</summary>
    public int LiveCount
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Gets the report of the last <see cref="Evaluate"/>, or <see langword="null"/> before the first.</summary>
    public DriftReport? LastReport => Volatile.Read(ref lastReport);

    /// <summary>Adds a live value.</summary>
    /// <param name="value">The score or feature value (finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public void Add(double value)
    {
        Guard.Finite(value);
        lock (gate)
        {
            live[next] = value;
            next = (next + 1) % live.Length;
            count = Math.Min(count + 1, live.Length);
        }
    }

    /// <summary>Compares the live values with the reference and remembers the result as <see cref="LastReport"/>.</summary>
    /// <returns>The report; its statistics are <see langword="null"/> below <see cref="MonitoringOptions.DriftMinimumSample"/> live values.</returns>
    public DriftReport Evaluate()
    {
        double[] sample;
        lock (gate)
        {
            sample = live.AsSpan(0, count).ToArray();
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        DriftReport report;
        if (sample.Length < options.DriftMinimumSample)
        {
            report = new DriftReport(Name, reference.Length, sample.Length, null, null, null, DriftSeverity.None, KsSignificant: false, now);
        }
        else
        {
            double psi = DriftStatistics.PopulationStabilityIndex(reference, sample, options.PsiBins);
            TestResult ks = HypothesisTests.KolmogorovSmirnovTwoSample(reference, sample);
            DriftSeverity severity = psi >= options.PsiMajorThreshold ? DriftSeverity.Major
                : psi >= options.PsiModerateThreshold ? DriftSeverity.Moderate
                : DriftSeverity.None;
            report = new DriftReport(Name, reference.Length, sample.Length, psi, ks.Statistic, ks.PValue, severity, ks.PValue < options.KsSignificanceLevel, now);
            if (report.IsDrift)
            {
                MonitoringLog.DriftDetected(logger, Name, psi, ks.Statistic, ks.PValue, severity, sample.Length);
            }
        }

        Volatile.Write(ref lastReport, report);
        return report;
    }
}
