using System.Diagnostics;
using System.Diagnostics.Metrics;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The library's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/>, both named
/// "SelfLearning", with the instruments listed in <see cref="SelfLearningInstruments"/>. The live gauges read
/// the windows of <see cref="LiveMetrics"/> when a listener collects. Thread-safe.
/// </summary>
internal sealed class SelfLearningTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "SelfLearning";

    private readonly bool ownsMeter;
    private readonly Counter<long> predictions;
    private readonly Counter<long> outcomes;
    private readonly Histogram<double> driftPsi;
    private readonly Counter<long> rollbacks;
    private readonly Counter<long> promotions;
    private readonly Counter<long> trainingJobs;
    private readonly Histogram<double> trainingDuration;

    /// <summary>Initializes a new instance of the <see cref="SelfLearningTelemetry"/> class.</summary>
    /// <param name="liveMetrics">The windows the live gauges observe; without them the gauges report nothing.</param>
    /// <param name="meterFactory">Creates the meter (and then owns it), as the host's DI does; when <see langword="null"/> the meter is created here and disposed with this instance.</param>
    public SelfLearningTelemetry(LiveMetrics? liveMetrics = null, IMeterFactory? meterFactory = null)
    {
        ownsMeter = meterFactory is null;
        string? version = typeof(SelfLearningTelemetry).Assembly.GetName().Version?.ToString();
        Meter = meterFactory?.Create(new MeterOptions(Name) { Version = version }) ?? new Meter(Name, version);

        predictions = Meter.CreateCounter<long>(SelfLearningInstruments.Predictions, "{prediction}", "Predictions served.");
        outcomes = Meter.CreateCounter<long>(SelfLearningInstruments.Outcomes, "{outcome}", "Outcomes (labels) received.");
        driftPsi = Meter.CreateHistogram<double>(SelfLearningInstruments.DriftPsi, null, "Population stability index of a live distribution against its reference.");
        rollbacks = Meter.CreateCounter<long>(SelfLearningInstruments.Rollbacks, "{rollback}", "Champion rollbacks.");
        promotions = Meter.CreateCounter<long>(SelfLearningInstruments.Promotions, "{promotion}", "Promotions to champion.");
        trainingJobs = Meter.CreateCounter<long>(SelfLearningInstruments.TrainingJobs, "{job}", "Finished training jobs.");
        trainingDuration = Meter.CreateHistogram<double>(SelfLearningInstruments.TrainingDuration, "s", "Training job duration.");
        if (liveMetrics is not null)
        {
            Meter.CreateObservableGauge(SelfLearningInstruments.LiveAccuracy, () => Observe(liveMetrics, s => s.Accuracy), null, "Live accuracy over the sliding window.");
            Meter.CreateObservableGauge(SelfLearningInstruments.LiveCalibrationError, () => Observe(liveMetrics, s => s.ExpectedCalibrationError), null, "Live expected calibration error over the sliding window.");
        }
    }

    /// <summary>Gets the activity source named "SelfLearning", for spans around training, evaluation and promotion.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(SelfLearningTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Gets the meter named "SelfLearning".</summary>
    public Meter Meter { get; }

    /// <summary>Counts a prediction served.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The version that served it.</param>
    public void RecordPrediction(string model, int version) =>
        predictions.Add(1, Tags(model, version));

    /// <summary>Counts an outcome received.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The version that made the prediction.</param>
    /// <param name="correct">Whether the prediction was correct.</param>
    public void RecordOutcome(string model, int version, bool correct)
    {
        TagList tags = Tags(model, version);
        tags.Add("correct", correct);
        outcomes.Add(1, tags);
    }

    /// <summary>Records a measured population stability index.</summary>
    /// <param name="monitor">The monitored quantity (score or feature).</param>
    /// <param name="psi">The index (finite, zero or more).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="psi"/> is negative or not finite.</exception>
    public void RecordDriftPsi(string monitor, double psi)
    {
        Guard.NotNullOrWhiteSpace(monitor);
        Guard.NonNegative(psi);
        driftPsi.Record(psi, new KeyValuePair<string, object?>("monitor", monitor));
    }

    /// <summary>Counts a rollback.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The version rolled back.</param>
    /// <param name="reason">The reason kind.</param>
    public void RecordRollback(string model, int version, RollbackReasonKind reason)
    {
        Guard.Defined(reason);
        TagList tags = Tags(model, version);
        tags.Add("reason", reason.ToString());
        rollbacks.Add(1, tags);
    }

    /// <summary>Counts a promotion.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The version promoted.</param>
    public void RecordPromotion(string model, int version) =>
        promotions.Add(1, Tags(model, version));

    /// <summary>Counts a finished training job and records its duration.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="status">How it finished, e.g. "succeeded", "failed" or "cancelled".</param>
    /// <param name="duration">How long it ran (not negative).</param>
    /// <exception cref="ArgumentException">A key is empty or the duration is negative.</exception>
    public void RecordTrainingJob(string model, string status, TimeSpan duration)
    {
        Guard.NotNullOrWhiteSpace(model);
        Guard.NotNullOrWhiteSpace(status);
        Guard.NonNegative(duration.TotalSeconds, nameof(duration));
        var tags = new TagList { { "model", model }, { "status", status } };
        trainingJobs.Add(1, tags);
        trainingDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Disposes the meter when this instance created it.</summary>
    public void Dispose()
    {
        if (ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static TagList Tags(string model, int version)
    {
        Guard.NotNullOrWhiteSpace(model);
        Guard.Positive(version);
        return new TagList { { "model", model }, { "version", version } };
    }

    private static IEnumerable<Measurement<double>> Observe(LiveMetrics liveMetrics, Func<LiveMetricsSnapshot, double?> metric)
    {
        foreach (LiveMetricsSnapshot snapshot in liveMetrics.Snapshots())
        {
            if (metric(snapshot) is { } value)
            {
                yield return new Measurement<double>(value, new KeyValuePair<string, object?>("model", snapshot.Model), new KeyValuePair<string, object?>("version", snapshot.Version));
            }
        }
    }
}
