using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Experiments;
using SelfLearning.Privacy;

namespace SelfLearning.Sqlite;

/// <summary>
/// An <see cref="IExperimentStore"/> in an embedded SQLite database file: tallies survive restarts and are
/// shared by every process that opens the file (WAL journal, <c>synchronous=FULL</c>, one
/// <c>BEGIN IMMEDIATE</c> transaction per write).
/// </summary>
/// <remarks>
/// <para>
/// Counters are updated in SQL (<c>UPDATE … SET n = n + 1</c>, upserts that add to the sums), never read,
/// changed and written back, so two processes recording at once lose nothing. A unit counts once because its
/// row's primary key refuses a second insert; a prediction's metric is resolved once for the same reason.
/// </para>
/// <para>
/// Kept predictions expire after <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>: a late
/// outcome is refused, expired rows are deleted when the next prediction is kept, and those that never had an
/// outcome are counted in <see cref="ExperimentTallies.ExpiredPredictions"/>. Every exposed unit is kept on
/// disk (<see cref="ExperimentStoreOptions.MaximumTrackedUnitsPerExperiment"/> does not apply).
/// </para>
/// <para>
/// Unit ids are often patient or account ids, so they are never stored: a unit is kept as a keyed fingerprint, the
/// first 128 bits of HMAC-SHA256 over the unit id under a purpose naming the experiment (the same unit has unrelated
/// fingerprints in two experiments). The key is the host's pseudonymisation key when one is given (<c>UseSqlite</c>
/// passes <c>CaseAnonymizerOptions.PseudonymizationKey</c>); otherwise a random 256-bit key created with the database
/// and kept in it, so the fingerprints cannot be read back as ids, though someone holding the file could test a guessed
/// id. Changing the key makes a running experiment count its units again. Databases written by earlier versions, which
/// kept raw unit ids, are rewritten to fingerprints when first opened (with secure delete, so no copy is left in free pages).
/// </para>
/// </remarks>
public sealed class SqliteExperimentStore : IExperimentStore
{
    private const int ChampionSeries = 0;
    private const int ChallengerSeries = 1;
    private const int PairedChampionSeries = 2;
    private const int PairedChallengerSeries = 3;
    private const int PairedDifferenceSeries = 4;

    private const string AddToTally = """
        INSERT INTO selflearning_experiment_tallies (experiment_key, series, metric, n, sum, sum_squares) VALUES ($key, $series, $metric, 1, $value, $square)
        ON CONFLICT (experiment_key, series, metric) DO UPDATE SET n = n + 1, sum = sum + excluded.sum, sum_squares = sum_squares + excluded.sum_squares;
        """;

    private const string ExpiredWithoutOutcome = """
        SELECT count(*) FROM selflearning_experiment_predictions p
        WHERE p.experiment_key = $key AND p.expires_at <= $now
          AND NOT EXISTS (SELECT 1 FROM selflearning_experiment_resolutions r WHERE r.prediction_id = p.prediction_id)
        """;

    private const string UnitKeyPurpose = "experiment-units";

    private readonly SqliteDatabase _database;
    private readonly Pseudonymizer _units;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeToLive;
    private readonly ConcurrentDictionary<string, (string Json, ExperimentDefinition Definition)> _definitions = new(StringComparer.Ordinal);

    /// <summary>Opens (creating it if needed) an experiment store in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock for prediction expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="unitKey">
    /// The key of the unit fingerprints, normally the host's pseudonymisation key; when <see langword="null"/>, a random key
    /// kept in the database file.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Another application's table or index holds a name the store needs.</exception>
    public SqliteExperimentStore(
        string databasePath,
        TimeProvider? timeProvider = null,
        ExperimentStoreOptions? options = null,
        ILogger<SqliteExperimentStore>? logger = null,
        Pseudonymizer? unitKey = null)
    {
        options ??= new ExperimentStoreOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        _timeToLive = options.PendingPredictionTimeToLive;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _database = new SqliteDatabase(databasePath, _timeProvider, (ILogger?)logger ?? NullLogger.Instance);
        Pseudonymizer? key = unitKey;
        _database.Migrate(ExperimentMigrations.All((c, t) =>
        {
            Pseudonymizer migrationKey = key ??= StoreKey(c, t);
            return (experimentKey, unitId) => Fingerprint(migrationKey, experimentKey, unitId);
        }));
        _units = key ?? _database.Write(StoreKey);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <inheritdoc />
    public ValueTask SaveExperimentAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        cancellationToken.ThrowIfCancellationRequested();
        string definition = ExperimentJson.Write(experiment.Definition);
        _database.Write((c, t) =>
        {
            if (experiment.Status != ExperimentStatus.Running)
            {
                // Concluded: the exposure counts stay on the experiment row, the units themselves are released.
                SqliteDatabase.Execute(c, t, "DELETE FROM selflearning_experiment_units WHERE experiment_key = $key;", ("$key", experiment.Key));
            }

            return SqliteDatabase.Execute(
            c,
            t,
            """
            INSERT INTO selflearning_experiments (key, definition, status, ramp_step, started_at, step_started_at, ended_at)
            VALUES ($key, $definition, $status, $step, $started, $stepStarted, $ended)
            ON CONFLICT (key) DO UPDATE SET definition = excluded.definition, status = excluded.status, ramp_step = excluded.ramp_step,
                started_at = excluded.started_at, step_started_at = excluded.step_started_at, ended_at = excluded.ended_at;
            """,
            ("$key", experiment.Key),
            ("$definition", definition),
            ("$status", (int)experiment.Status),
            ("$step", experiment.RampStep),
            ("$started", experiment.StartedAt.UtcTicks),
            ("$stepStarted", experiment.StepStartedAt.UtcTicks),
            ("$ended", experiment.EndedAt?.UtcTicks));
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        bool deleted = _database.Write((c, t) => SqliteDatabase.Execute(
            c,
            t,
            """
            DELETE FROM selflearning_experiment_units WHERE experiment_key = $key;
            DELETE FROM selflearning_experiment_tallies WHERE experiment_key = $key;
            DELETE FROM selflearning_experiment_predictions WHERE experiment_key = $key;
            DELETE FROM selflearning_experiment_decisions WHERE experiment_key = $key;
            DELETE FROM selflearning_experiments WHERE key = $key;
            """,
            ("$key", experimentKey)) > 0);
        _definitions.TryRemove(experimentKey, out _);
        return ValueTask.FromResult(deleted);
    }

    /// <inheritdoc />
    public ValueTask<Experiment?> FindExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Read((c, t) => ReadExperiments(c, t, "WHERE key = $key", ("$key", experimentKey)).SingleOrDefault()));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Experiment> experiments = _database.Read((c, t) => ReadExperiments(c, t, string.Empty));

        // SQLite's BINARY collation compares UTF-8 bytes; order as .NET's ordinal (UTF-16) does.
        experiments.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return ValueTask.FromResult<IReadOnlyList<Experiment>>(experiments);
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordExposureAsync(string experimentKey, string unitId, ExperimentArm arm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        ArgumentNullException.ThrowIfNull(unitId);
        DefinedArm(arm);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(_database.WriteGroupedAsync((c, t) =>
        {
            Definition(c, t, experimentKey);
            if (Convert.ToInt64(SqliteDatabase.Scalar(c, t, "SELECT status FROM selflearning_experiments WHERE key = $key;", ("$key", experimentKey)), CultureInfo.InvariantCulture) != (long)ExperimentStatus.Running)
            {
                return false;
            }

            int inserted = SqliteDatabase.Execute(
                c,
                t,
                "INSERT INTO selflearning_experiment_units (experiment_key, unit_key, arm) VALUES ($key, $unit, $arm) ON CONFLICT DO NOTHING;",
                ("$key", experimentKey),
                ("$unit", Fingerprint(_units, experimentKey, unitId)),
                ("$arm", (int)arm));
            if (inserted == 0)
            {
                return false;
            }

            SqliteDatabase.Execute(
                c,
                t,
                arm == ExperimentArm.Challenger
                    ? "UPDATE selflearning_experiments SET challenger_units = challenger_units + 1 WHERE key = $key;"
                    : "UPDATE selflearning_experiments SET champion_units = champion_units + 1 WHERE key = $key;",
                ("$key", experimentKey));
            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask RecordOutcomeAsync(string experimentKey, ExperimentArm arm, string metric, double value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        DefinedArm(arm);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask(_database.WriteGroupedAsync((c, t) =>
        {
            OutcomeRules.Value(OutcomeRules.Metric(Definition(c, t, experimentKey), metric), value, nameof(value));
            Add(c, t, experimentKey, Series(arm), metric, value);
            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask RecordPairedOutcomeAsync(string experimentKey, string metric, double championValue, double challengerValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask(_database.WriteGroupedAsync((c, t) =>
        {
            ExperimentMetric definition = OutcomeRules.Metric(Definition(c, t, experimentKey), metric);
            OutcomeRules.Value(definition, championValue, nameof(championValue));
            OutcomeRules.Value(definition, challengerValue, nameof(challengerValue));
            AddPaired(c, t, experimentKey, metric, championValue, challengerValue);
            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _timeProvider.GetUtcNow().UtcTicks;
        return new ValueTask(_database.WriteGroupedAsync((c, t) =>
        {
            Definition(c, t, prediction.ExperimentKey);
            Sweep(c, t, now);
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiment_predictions WHERE prediction_id = $id;", ("$id", prediction.PredictionId)) is not null)
            {
                throw OutcomeRules.DuplicatePrediction(prediction);
            }

            return SqliteDatabase.Execute(
                c,
                t,
                """
                INSERT INTO selflearning_experiment_predictions (prediction_id, experiment_key, arm, served_output, shadow_output, expires_at)
                VALUES ($id, $key, $arm, $served, $shadow, $expires);
                """,
                ("$id", prediction.PredictionId),
                ("$key", prediction.ExperimentKey),
                ("$arm", (int)prediction.Arm),
                ("$served", prediction.ServedOutput),
                ("$shadow", prediction.ShadowOutput),
                ("$expires", now + _timeToLive.Ticks));
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordLabelAsync(string predictionId, string metric, string actualLabel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        ArgumentNullException.ThrowIfNull(actualLabel);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _timeProvider.GetUtcNow().UtcTicks;
        return new ValueTask<bool>(_database.WriteGroupedAsync((c, t) =>
        {
            if (FindPending(c, t, predictionId, now) is not { } pending)
            {
                return false;
            }

            string served = pending.ServedOutput ?? throw OutcomeRules.NoServedOutput(predictionId);
            OutcomeRules.LabelMetric(Definition(c, t, pending.ExperimentKey), metric);
            if (!TryResolve(c, t, predictionId, metric))
            {
                return false;
            }

            double score = OutcomeRules.Score(served, actualLabel);
            if (pending.ShadowOutput is { } shadow)
            {
                AddPaired(c, t, pending.ExperimentKey, metric, score, OutcomeRules.Score(shadow, actualLabel));
            }
            else
            {
                Add(c, t, pending.ExperimentKey, Series(pending.Arm), metric, score);
            }

            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordDelayedOutcomeAsync(string predictionId, string metric, double value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _timeProvider.GetUtcNow().UtcTicks;
        return new ValueTask<bool>(_database.WriteGroupedAsync((c, t) =>
        {
            if (FindPending(c, t, predictionId, now) is not { } pending)
            {
                return false;
            }

            if (pending.ShadowOutput is not null)
            {
                throw OutcomeRules.ShadowNeedsLabel(predictionId);
            }

            OutcomeRules.Value(OutcomeRules.Metric(Definition(c, t, pending.ExperimentKey), metric), value, nameof(value));
            if (!TryResolve(c, t, predictionId, metric))
            {
                return false;
            }

            Add(c, t, pending.ExperimentKey, Series(pending.Arm), metric, value);
            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask<ExperimentTallies> GetTalliesAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        long now = _timeProvider.GetUtcNow().UtcTicks;
        return ValueTask.FromResult(_database.Read((c, t) =>
        {
            long champion, challenger, expired;
            using (var command = SqliteDatabase.Command(
                c,
                t,
                $"SELECT champion_units, challenger_units, expired_predictions + ({ExpiredWithoutOutcome}) FROM selflearning_experiments WHERE key = $key;",
                ("$key", experimentKey),
                ("$now", now)))
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    throw OutcomeRules.UnknownExperiment(experimentKey);
                }

                (champion, challenger, expired) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            var arms = new[] { new Dictionary<string, MetricTally>(StringComparer.Ordinal), new Dictionary<string, MetricTally>(StringComparer.Ordinal) };
            var pairs = new Dictionary<string, MetricTally[]>(StringComparer.Ordinal);
            using (var command = SqliteDatabase.Command(
                c, t, "SELECT series, metric, n, sum, sum_squares FROM selflearning_experiment_tallies WHERE experiment_key = $key;", ("$key", experimentKey)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    int series = reader.GetInt32(0);
                    var tally = new MetricTally(reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4));
                    if (series <= ChallengerSeries)
                    {
                        arms[series][reader.GetString(1)] = tally;
                    }
                    else
                    {
                        string metric = reader.GetString(1);
                        MetricTally[] parts = pairs.TryGetValue(metric, out MetricTally[]? found) ? found : pairs[metric] = new MetricTally[3];
                        parts[series - PairedChampionSeries] = tally;
                    }
                }
            }

            var paired = pairs.ToDictionary(p => p.Key, p => new PairedTally(p.Value[0], p.Value[1], p.Value[2]), StringComparer.Ordinal);
            return new ExperimentTallies(experimentKey, champion, challenger, arms[ChampionSeries], arms[ChallengerSeries], paired, expired);
        }));
    }

    /// <inheritdoc />
    public ValueTask RecordDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        cancellationToken.ThrowIfCancellationRequested();
        string reasons = ExperimentJson.Write(decision.Reasons);
        string analysis = ExperimentJson.Write(decision.Analysis);
        _database.Write((c, t) =>
        {
            Definition(c, t, decision.ExperimentKey);
            return SqliteDatabase.Execute(
                c,
                t,
                """
                INSERT INTO selflearning_experiment_decisions (experiment_key, sequence, action, decided_at, ramp_step, challenger_share, reasons, analysis)
                VALUES ($key, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM selflearning_experiment_decisions WHERE experiment_key = $key), $action, $at, $step, $share, $reasons, $analysis);
                """,
                ("$key", decision.ExperimentKey),
                ("$action", (int)decision.Action),
                ("$at", decision.DecidedAt.UtcTicks),
                ("$step", decision.RampStep),
                ("$share", decision.ChallengerShare),
                ("$reasons", reasons),
                ("$analysis", analysis));
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExperimentDecision>> GetDecisionsAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<ExperimentDecision>>(_database.Read((c, t) =>
        {
            Definition(c, t, experimentKey);
            using var command = SqliteDatabase.Command(
                c,
                t,
                "SELECT action, decided_at, ramp_step, challenger_share, reasons, analysis FROM selflearning_experiment_decisions WHERE experiment_key = $key ORDER BY sequence;",
                ("$key", experimentKey));
            using var reader = command.ExecuteReader();
            var decisions = new List<ExperimentDecision>();
            while (reader.Read())
            {
                decisions.Add(new ExperimentDecision(
                    experimentKey,
                    (DecisionAction)reader.GetInt32(0),
                    Instant(reader.GetInt64(1)),
                    reader.GetInt32(2),
                    reader.GetDouble(3),
                    ExperimentJson.Read<string[]>(reader.GetString(4)),
                    ExperimentJson.Read<ExperimentAnalysis>(reader.GetString(5))));
            }

            return decisions;
        }));
    }

    /// <summary>The stored form of a unit: 32 hex digits of HMAC-SHA256 under the key, with the experiment in the purpose.</summary>
    private static string Fingerprint(Pseudonymizer key, string experimentKey, string unitId) => key.Pseudonymize(unitId, "experiment-unit:" + experimentKey);

    /// <summary>The database's own random key for unit fingerprints, created on first use.</summary>
    private static Pseudonymizer StoreKey(SqliteConnection c, SqliteTransaction t)
    {
        if (SqliteDatabase.Scalar(c, t, "SELECT key FROM selflearning_store_keys WHERE purpose = $purpose;", ("$purpose", UnitKeyPurpose)) is not byte[] key)
        {
            key = RandomNumberGenerator.GetBytes(32);
            SqliteDatabase.Execute(c, t, "INSERT INTO selflearning_store_keys (purpose, key) VALUES ($purpose, $key);", ("$purpose", UnitKeyPurpose), ("$key", key));
        }

        return new Pseudonymizer(key);
    }

    private static void DefinedArm(ExperimentArm arm)
    {
        if (!Enum.IsDefined(arm))
        {
            throw new ArgumentOutOfRangeException(nameof(arm), arm, $"'{nameof(arm)}' is {arm:D}, which is not a defined {nameof(ExperimentArm)}.");
        }
    }

    private static int Series(ExperimentArm arm) => arm == ExperimentArm.Challenger ? ChallengerSeries : ChampionSeries;

    private static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static void Add(SqliteConnection c, SqliteTransaction t, string key, int series, string metric, double value) =>
        SqliteDatabase.Execute(c, t, AddToTally, ("$key", key), ("$series", series), ("$metric", metric), ("$value", value), ("$square", value * value));

    private static void AddPaired(SqliteConnection c, SqliteTransaction t, string key, string metric, double championValue, double challengerValue)
    {
        Add(c, t, key, PairedChampionSeries, metric, championValue);
        Add(c, t, key, PairedChallengerSeries, metric, challengerValue);
        Add(c, t, key, PairedDifferenceSeries, metric, challengerValue - championValue);
    }

    private static bool TryResolve(SqliteConnection c, SqliteTransaction t, string predictionId, string metric) =>
        SqliteDatabase.Execute(
            c, t, "INSERT INTO selflearning_experiment_resolutions (prediction_id, metric) VALUES ($id, $metric) ON CONFLICT DO NOTHING;", ("$id", predictionId), ("$metric", metric)) == 1;

    private static PendingRow? FindPending(SqliteConnection c, SqliteTransaction t, string predictionId, long now)
    {
        using var command = SqliteDatabase.Command(
            c,
            t,
            "SELECT experiment_key, arm, served_output, shadow_output FROM selflearning_experiment_predictions WHERE prediction_id = $id AND expires_at > $now;",
            ("$id", predictionId),
            ("$now", now));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new PendingRow(reader.GetString(0), (ExperimentArm)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>Counts the expired predictions that never had an outcome, then deletes every expired one (their resolutions cascade).</summary>
    private static void Sweep(SqliteConnection c, SqliteTransaction t, long now)
    {
        SqliteDatabase.Execute(
            c,
            t,
            $"""
            UPDATE selflearning_experiments SET expired_predictions = expired_predictions + ({ExpiredWithoutOutcome.Replace("$key", "selflearning_experiments.key", StringComparison.Ordinal)})
            WHERE key IN (SELECT experiment_key FROM selflearning_experiment_predictions WHERE expires_at <= $now);
            DELETE FROM selflearning_experiment_predictions WHERE expires_at <= $now;
            """,
            ("$now", now));
    }

    private List<Experiment> ReadExperiments(SqliteConnection c, SqliteTransaction t, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = SqliteDatabase.Command(
            c, t, $"SELECT key, definition, status, ramp_step, started_at, step_started_at, ended_at FROM selflearning_experiments {where};", parameters);
        using var reader = command.ExecuteReader();
        var experiments = new List<Experiment>();
        while (reader.Read())
        {
            experiments.Add(Experiment.Restore(
                Parse(reader.GetString(0), reader.GetString(1)),
                (ExperimentStatus)reader.GetInt32(2),
                reader.GetInt32(3),
                Instant(reader.GetInt64(4)),
                Instant(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : Instant(reader.GetInt64(6))));
        }

        return experiments;
    }

    /// <summary>The experiment's definition, for the metric checks; throws <see cref="KeyNotFoundException"/> for an unknown key.</summary>
    private ExperimentDefinition Definition(SqliteConnection c, SqliteTransaction t, string experimentKey)
    {
        string json = SqliteDatabase.Scalar(c, t, "SELECT definition FROM selflearning_experiments WHERE key = $key;", ("$key", experimentKey)) as string
            ?? throw OutcomeRules.UnknownExperiment(experimentKey);
        return Parse(experimentKey, json);
    }

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

    private sealed record PendingRow(string ExperimentKey, ExperimentArm Arm, string? ServedOutput, string? ShadowOutput);
}
