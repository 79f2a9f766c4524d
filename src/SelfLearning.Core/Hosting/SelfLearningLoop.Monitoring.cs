using System.Collections.Concurrent;
using System.Globalization;
using SelfLearning.Serving;
using SelfLearning.Monitoring;
using SelfLearning.Registry;

namespace SelfLearning.Hosting;

/// <summary>The watching half of a cycle: stale data and drift of the champion, evaluated at the start of every cycle.</summary>
internal sealed partial class SelfLearningLoop
{
    private readonly ConcurrentDictionary<string, DataArrival> _arrivals = new(StringComparer.Ordinal);

    /// <summary>Reads what every cycle needs (latest version, watermark, new cases), then judges stale data and drift.</summary>
    private async Task<CycleInputs> WatchAsync(string modelName, SelfLearningModelOptions options, CancellationToken cancellationToken)
    {
        ModelVersion? latest = await LatestVersionAsync(_registry, modelName, cancellationToken).ConfigureAwait(false);
        string? watermark = latest is not null && latest.Tags.TryGetValue(HostingConstants.WatermarkTag, out string? w) ? w : null;
        long newCases = await _data.CountNewCasesAsync(watermark, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        WatchData(modelName, options, newCases, watermark, now);
        return new CycleInputs(latest, watermark, newCases, EvaluateDrift(modelName));
    }

    /// <summary>
    /// Publishes <see cref="SelfLearningEventKind.DataStale"/> once when no new validated case arrived for
    /// <see cref="SelfLearningModelOptions.DataStaleAfter"/>. A case arrived at the watermark's instant (the newest case
    /// trained on, from the registry) or when this process saw the count of new cases grow; before either, the
    /// first cycle of the process counts as an arrival.
    /// </summary>
    private void WatchData(string modelName, SelfLearningModelOptions options, long newCases, string? watermark, DateTimeOffset now)
    {
        DateTimeOffset? trainedUpTo = watermark is null ? null : DateTimeOffset.Parse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        DataArrival arrival = _arrivals.GetOrAdd(modelName, _ => new DataArrival { NewCases = newCases, LastArrival = newCases == 0 && trainedUpTo is { } t ? t : now });
        if (newCases > arrival.NewCases)
        {
            arrival.LastArrival = now;
            arrival.Reported = false;
        }
        else if (trainedUpTo is { } t && t > arrival.LastArrival)
        {
            arrival.LastArrival = t;
        }

        arrival.NewCases = newCases;
        TimeSpan quiet = now - arrival.LastArrival;
        if (quiet < options.DataStaleAfter || arrival.Reported)
        {
            return;
        }

        arrival.Reported = true;
        Publish(
            SelfLearningEventKind.DataStale,
            modelName,
            null,
            Format($"No new validated case for {quiet.TotalDays:F1} days (since {arrival.LastArrival:O}); the limit is {options.DataStaleAfter.TotalDays:F1} days."),
            new Dictionary<string, object?> { ["lastArrival"] = arrival.LastArrival, ["newCases"] = newCases });
    }

    /// <summary>
    /// Evaluates the champion's score monitor (PSI and KS against its reference; the PSI goes to telemetry) and reads its
    /// error stream; publishes <see cref="SelfLearningEventKind.DriftDetected"/> once per detection.
    /// </summary>
    /// <returns>Whether the champion drifted.</returns>
    private bool EvaluateDrift(string modelName)
    {
        if (_drift.Get(modelName) is not { } monitors)
        {
            return false;
        }

        DriftReport? report = monitors.Scores?.Evaluate();
        if (report is { Psi: double psi })
        {
            _telemetry.RecordDriftPsi(report.Monitor, psi);
        }

        ErrorStreamStatus errors = monitors.Errors.GetStatus();
        bool drifted = report is { IsDrift: true } || errors.IsAlarmed;
        if (!drifted || monitors.Reported)
        {
            monitors.Reported = drifted;
            return drifted;
        }

        monitors.Reported = true;
        string what = string.Join(
            " ",
            new[]
            {
                report is { IsDrift: true } ? Format($"Live scores drifted from the training reference (PSI {report.Psi:F3}, KS D {report.KsStatistic:F3}, p {report.KsPValue:G3}, {report.LiveCount} scores).") : null,
                errors.IsAlarmed ? Format($"The error rate changed (now {errors.ErrorRate:P1} over {errors.AdwinWidth} outcomes).") : null,
            }.OfType<string>());
        Publish(SelfLearningEventKind.DriftDetected, modelName, monitors.Version, Format($"Champion version {monitors.Version}: {what}"), new Dictionary<string, object?>
        {
            ["psi"] = report?.Psi,
            ["ksStatistic"] = report?.KsStatistic,
            ["ksPValue"] = report?.KsPValue,
            ["errorRate"] = errors.ErrorRate,
            ["errorStreamAlarmed"] = errors.IsAlarmed,
        });
        return true;
    }

    /// <summary>Reads the newest registered version of a model (any stage), whose watermark tag is where the next collection starts.</summary>
    internal static async Task<ModelVersion?> LatestVersionAsync(IModelRegistry registry, string modelName, CancellationToken cancellationToken)
    {
        var models = await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        if (!models.Contains(modelName, StringComparer.Ordinal))
        {
            return null;
        }

        var model = await registry.GetModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        return model.Versions.Count == 0 ? null : model.Versions[^1];
    }

    /// <summary>What a cycle read before deciding.</summary>
    private sealed record CycleInputs(ModelVersion? Latest, string? Watermark, long NewCases, bool Drifted);

    /// <summary>When this process last saw new validated cases of a model.</summary>
    private sealed class DataArrival
    {
        public long NewCases { get; set; }

        public DateTimeOffset LastArrival { get; set; }

        public bool Reported { get; set; }
    }
}
