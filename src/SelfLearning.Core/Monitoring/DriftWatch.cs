using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Registry;

namespace SelfLearning.Monitoring;

/// <summary>
/// Feeds the champion's drift monitors: live scores from <see cref="Serving.IPredictionService.Predict(string, string, double)"/> into a
/// <see cref="ScoreDriftMonitor"/> against the version's stored reference (<see cref="ReferenceScores"/>), live
/// outcomes into an <see cref="ErrorStreamMonitor"/>. The monitors are listed in the <see cref="DriftMonitorSet"/>
/// the drift health check reads and replaced whenever the champion changes. Challengers are not monitored: the
/// canary judges them.
/// </summary>
internal sealed class DriftWatch(DriftMonitorSet set, IOptions<MonitoringOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, ChampionMonitors> _models = new(StringComparer.Ordinal);

    /// <summary>Watches <paramref name="champion"/> of <paramref name="modelName"/> (a new version gets fresh monitors), or nothing without a champion.</summary>
    public void Track(string modelName, ModelVersion? champion)
    {
        if (_models.TryGetValue(modelName, out var current) && current.Version == (champion?.Version ?? 0))
        {
            return;
        }

        if (current is not null)
        {
            set.Remove(ScoreName(modelName, current.Version));
            set.Remove(ErrorName(modelName, current.Version));
        }

        if (champion is null)
        {
            _models.TryRemove(modelName, out _);
            return;
        }

        ILogger logger = loggerFactory.CreateLogger<DriftWatch>();
        double[]? reference = ReferenceScores.Of(champion);
        ScoreDriftMonitor? scores = reference is { Length: >= 2 }
            ? new ScoreDriftMonitor(ScoreName(modelName, champion.Version), reference, options, timeProvider, logger)
            : null;
        var errors = new ErrorStreamMonitor(ErrorName(modelName, champion.Version), options, timeProvider, logger);
        if (scores is not null)
        {
            set.Set(scores);
        }

        set.Set(errors);
        _models[modelName] = new ChampionMonitors(champion.Version, scores, errors);
    }

    /// <summary>Adds a score the champion served.</summary>
    public void ObserveScore(string modelName, int version, double score)
    {
        if (double.IsFinite(score) && _models.TryGetValue(modelName, out var monitors) && monitors.Version == version)
        {
            monitors.Scores?.Add(score);
        }
    }

    /// <summary>Adds an outcome of a prediction the champion served.</summary>
    public void ObserveOutcome(string modelName, int version, bool correct)
    {
        if (_models.TryGetValue(modelName, out var monitors) && monitors.Version == version)
        {
            monitors.Errors.Record(correct);
        }
    }

    /// <summary>Gets the live outcomes the rollback rule needs before it judges a champion.</summary>
    public int RollbackMinimumLiveSample => options.Value.RollbackMinimumLiveSample;

    /// <summary>Gets the champion's monitors, if a champion is watched.</summary>
    public ChampionMonitors? Get(string modelName) => _models.TryGetValue(modelName, out var monitors) ? monitors : null;

    private static string ScoreName(string modelName, int version) => string.Create(CultureInfo.InvariantCulture, $"{modelName}/v{version}/score");

    private static string ErrorName(string modelName, int version) => string.Create(CultureInfo.InvariantCulture, $"{modelName}/v{version}/errors");
}
