using System.Collections.Concurrent;
using System.Data.Common;

namespace SelfLearning.Experiments;

/// <summary>
/// How the SQL storages (SQLite, PostgreSQL) keep an experiment as rows: the experiment row (definition as JSON, times as
/// UTC ticks), a decision row (reasons and analysis as JSON), and the tallies as one row per (series, metric) with the
/// running count, sum and sum of squares. Both storages select the columns in the order these methods read them.
/// </summary>
internal sealed class ExperimentRows
{
    /// <summary>The experiment columns, in the order <see cref="ReadExperiment"/> reads them.</summary>
    public const string ExperimentColumns = "key, definition, status, ramp_step, started_at, step_started_at, ended_at";

    /// <summary>The decision columns, in the order <see cref="ReadDecision"/> reads them.</summary>
    public const string DecisionColumns = "action, decided_at, ramp_step, challenger_share, reasons, analysis";

    /// <summary>The tally columns, in the order <see cref="ReadTallies"/> reads them.</summary>
    public const string TallyColumns = "series, metric, n, sum, sum_squares";

    private const int ChampionSeries = 0;
    private const int ChallengerSeries = 1;
    private const int PairedChampionSeries = 2;
    private const int PairedChallengerSeries = 3;
    private const int PairedDifferenceSeries = 4;

    private readonly ConcurrentDictionary<string, (string Json, ExperimentDefinition Definition)> _definitions = new(StringComparer.Ordinal);

    /// <summary>The tally rows an outcome adds to: one series for a single outcome, three (champion, challenger, difference) for a pair.</summary>
    public static (int Series, double Value)[] Increments(ExperimentOutcome outcome) => outcome.IsPaired
        ? [(PairedChampionSeries, outcome.Value), (PairedChallengerSeries, outcome.ChallengerValue), (PairedDifferenceSeries, outcome.ChallengerValue - outcome.Value)]
        : [(outcome.Arm == ExperimentArm.Challenger ? ChallengerSeries : ChampionSeries, outcome.Value)];

    /// <summary>A UTC instant from stored ticks.</summary>
    public static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    /// <summary>Reads a decision of <paramref name="experimentKey"/> from the current row, whose columns are <see cref="DecisionColumns"/>.</summary>
    public static ExperimentDecision ReadDecision(string experimentKey, DbDataReader reader) => new(
        experimentKey,
        (DecisionAction)reader.GetInt32(0),
        Instant(reader.GetInt64(1)),
        reader.GetInt32(2),
        reader.GetDouble(3),
        ExperimentJson.Read<string[]>(reader.GetString(4)),
        ExperimentJson.Read<ExperimentAnalysis>(reader.GetString(5)));

    /// <summary>Reads every tally row of an experiment (columns <see cref="TallyColumns"/>) into its tallies.</summary>
    public static ExperimentTallies ReadTallies(string experimentKey, long championExposures, long challengerExposures, long expiredPredictions, DbDataReader reader)
    {
        var arms = new[] { new Dictionary<string, MetricTally>(StringComparer.Ordinal), new Dictionary<string, MetricTally>(StringComparer.Ordinal) };
        var pairs = new Dictionary<string, MetricTally[]>(StringComparer.Ordinal);
        while (reader.Read())
        {
            int series = reader.GetInt32(0);
            string metric = reader.GetString(1);
            var tally = new MetricTally(reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4));
            if (series <= ChallengerSeries)
            {
                arms[series][metric] = tally;
            }
            else
            {
                MetricTally[] parts = pairs.TryGetValue(metric, out MetricTally[]? found) ? found : pairs[metric] = new MetricTally[3];
                parts[series - PairedChampionSeries] = tally;
            }
        }

        var paired = pairs.ToDictionary(p => p.Key, p => new PairedTally(p.Value[0], p.Value[1], p.Value[2]), StringComparer.Ordinal);
        return new ExperimentTallies(experimentKey, championExposures, challengerExposures, arms[ChampionSeries], arms[ChallengerSeries], paired, expiredPredictions);
    }

    /// <summary>Reads an experiment from the current row, whose columns are <see cref="ExperimentColumns"/>.</summary>
    public Experiment ReadExperiment(DbDataReader reader) => Experiment.Restore(
        Parse(reader.GetString(0), reader.GetString(1)),
        (ExperimentStatus)reader.GetInt32(2),
        reader.GetInt32(3),
        Instant(reader.GetInt64(4)),
        Instant(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : Instant(reader.GetInt64(6)));

    /// <summary>Forgets the parsed definition of a deleted experiment.</summary>
    public void Forget(string experimentKey) => _definitions.TryRemove(experimentKey, out _);

    /// <summary>Parses a stored definition, reusing the last parse while the text is unchanged (another process may replace it).</summary>
    private ExperimentDefinition Parse(string experimentKey, string json)
    {
        if (_definitions.TryGetValue(experimentKey, out var cached) && string.Equals(cached.Json, json, StringComparison.Ordinal))
        {
            return cached.Definition;
        }

        ExperimentDefinition definition = ExperimentJson.Read<ExperimentDefinition>(json);
        _definitions[experimentKey] = (json, definition);
        return definition;
    }
}
