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

    private readonly ConcurrentDictionary<string, (StoredRow Row, Experiment Experiment)> _experiments = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Reads a kept prediction of <paramref name="experiment"/> from the current row, whose columns are
    /// <see cref="ExperimentColumns"/> followed by the prediction's arm, served output and shadow output.
    /// </summary>
    public static StoredPrediction ReadStoredPrediction(string predictionId, Experiment experiment, DbDataReader reader) => new(
        new PredictionRecord(
            experiment.Key,
            predictionId,
            (ExperimentArm)reader.GetInt32(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9)),
        experiment);

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

    /// <summary>Reads an experiment from the current row, whose first columns are <see cref="ExperimentColumns"/>.</summary>
    /// <remarks>
    /// An unchanged row returns the experiment read from it last time: outcomes read their experiment often, and parsing
    /// and validating its definition each time would cost more than the read.
    /// </remarks>
    public Experiment ReadExperiment(DbDataReader reader)
    {
        string key = reader.GetString(0);
        var row = new StoredRow(
            reader.GetString(1),
            reader.GetInt32(2),
            reader.GetInt32(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6));
        if (_experiments.TryGetValue(key, out var cached) && cached.Row == row)
        {
            return cached.Experiment;
        }

        Experiment experiment = Experiment.Restore(
            ExperimentJson.Read<ExperimentDefinition>(row.Definition),
            (ExperimentStatus)row.Status,
            row.RampStep,
            Instant(row.StartedAt),
            Instant(row.StepStartedAt),
            row.EndedAt is { } ended ? Instant(ended) : null);
        _experiments[key] = (row, experiment);
        return experiment;
    }

    /// <summary>Forgets the experiment read last for a deleted key.</summary>
    public void Forget(string experimentKey) => _experiments.TryRemove(experimentKey, out _);

    /// <summary>The stored columns of an experiment row, compared to tell an unchanged row.</summary>
    private sealed record StoredRow(string Definition, int Status, int RampStep, long StartedAt, long StepStartedAt, long? EndedAt);
}
