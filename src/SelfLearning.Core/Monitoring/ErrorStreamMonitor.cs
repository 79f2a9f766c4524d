using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// Watches a model version's error stream (1 for a wrong prediction, 0 for a right one) with both
/// <see cref="PageHinkley"/> (quick on abrupt rises) and <see cref="Adwin"/> (rigorous bound, adapts its window).
/// Thread-safe: outcomes are serialised by a lock, since the detectors are not. A detected change raises
/// an alarm that stays until <see cref="Acknowledge"/> (e.g. after retraining or a rollback).
/// </summary>
public sealed class ErrorStreamMonitor
{
    private readonly object gate = new();
    private readonly PageHinkley pageHinkley;
    private readonly Adwin adwin;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private long observations;
    private long changes;
    private DateTimeOffset? lastChangeAt;
    private bool alarmed;

    /// <summary>Initializes a new instance of the <see cref="ErrorStreamMonitor"/> class.</summary>
    /// <param name="name">The monitored stream, e.g. "triage/v7".</param>
    /// <param name="options">The monitoring options with the detectors' parameters (validated here).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Logs detected changes; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ErrorStreamMonitor(string name, IOptions<MonitoringOptions> options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name);
        MonitoringOptions settings = MonitoringOptionsValidator.Validated(options);
        pageHinkley = new PageHinkley(settings.PageHinkleyDelta, settings.PageHinkleyThreshold, settings.PageHinkleyAlpha, settings.PageHinkleyMinimumInstances);
        adwin = new Adwin(settings.AdwinDelta);
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the monitored stream's name.</summary>
    public string Name { get; }

    /// <summary>Records an outcome.</summary>
    /// <param name="correct">Whether the prediction was correct.</param>
    /// <returns><see langword="true"/> when this outcome revealed a change in the error rate.</returns>
    public bool Record(bool correct)
    {
        double error = correct ? 0.0 : 1.0;
        lock (gate)
        {
            observations++;
            bool byPageHinkley = pageHinkley.Add(error);
            bool byAdwin = adwin.Add(error);
            if (!byPageHinkley && !byAdwin)
            {
                return false;
            }

            changes++;
            alarmed = true;
            lastChangeAt = timeProvider.GetUtcNow();
            string detector = byPageHinkley && byAdwin ? "Page-Hinkley and ADWIN" : byPageHinkley ? "Page-Hinkley" : "ADWIN";
            MonitoringLog.ErrorStreamChanged(logger, Name, detector, adwin.Mean);
            return true;
        }
    }

    /// <summary>Clears the alarm once the change has been handled; the detectors keep their state.</summary>
    public void Acknowledge()
    {
        lock (gate)
        {
            alarmed = false;
        }
    }

    /// <summary>Reads the monitor's state.</summary>
    /// <returns>An immutable status.</returns>
    public ErrorStreamStatus GetStatus()
    {
        lock (gate)
        {
            return new ErrorStreamStatus(Name, observations, adwin.Mean, adwin.Width, pageHinkley.Statistic, changes, lastChangeAt, alarmed);
        }
    }
}
