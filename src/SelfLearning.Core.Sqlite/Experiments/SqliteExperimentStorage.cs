using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SelfLearning.Experiments;
using SelfLearning.Privacy;

namespace SelfLearning.Sqlite;

/// <summary>
/// The <see cref="IExperimentStorage"/> of <see cref="SqliteExperimentStore"/>: experiments, units, tallies, kept predictions
/// and decisions in the <c>selflearning_experiment*</c> tables. Exposures, outcomes and kept predictions go through
/// <see cref="SqliteDatabase.WriteGroupedAsync{T}"/> (one transaction and one sync for the writes arriving together); the
/// rarer writes each take their own <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
/// <remarks>
/// The experiment row's status records whether its units are released: the store releases them exactly when it saves an
/// experiment that is no longer running, so a unit is refused while the saved status is not running.
/// </remarks>
internal sealed class SqliteExperimentStorage : IExperimentStorage
{
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
    private readonly ExperimentRows _rows = new();

    /// <summary>Opens the database and brings the experiment tables up to date, rewriting raw unit ids kept by earlier versions.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="timeProvider">The clock for the migration records.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="unitKey">The key raw unit ids are fingerprinted with; the database's own key when <see langword="null"/>.</param>
    public SqliteExperimentStorage(string databasePath, TimeProvider timeProvider, ILogger logger, Pseudonymizer? unitKey)
    {
        _database = new SqliteDatabase(databasePath, timeProvider, logger);
        _database.Migrate(ExperimentMigrations.All((c, t) =>
        {
            Pseudonymizer migrationKey = unitKey ?? new Pseudonymizer(StoreKey(c, t, RandomNumberGenerator.GetBytes(32)));
            return (experimentKey, unitId) => ExperimentStore.UnitFingerprint(migrationKey, experimentKey, unitId);
        }));
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    public Task<Experiment?> ReadExperimentAsync(string experimentKey, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read((c, t) => ReadExperiments(c, t, "WHERE key = $key", ("$key", experimentKey)).SingleOrDefault()));

    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Experiment>>(_database.Read((c, t) => ReadExperiments(c, t, string.Empty)));

    public Task SaveExperimentAsync(Experiment experiment, bool releaseUnits, CancellationToken cancellationToken)
    {
        string definition = ExperimentJson.Write(experiment.Definition);
        _database.Write((c, t) =>
        {
            if (releaseUnits)
            {
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
        return Task.CompletedTask;
    }

    public Task<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken)
    {
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
        _rows.Forget(experimentKey);
        return Task.FromResult(deleted);
    }

    public Task<byte[]> GetOrAddUnitKeyAsync(byte[] candidate, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Write((c, t) => StoreKey(c, t, candidate)));

    public Task<ExperimentWriteResult> AppendExposureAsync(string experimentKey, string unitFingerprint, ExperimentArm arm, CancellationToken cancellationToken) =>
        _database.WriteGroupedAsync((c, t) =>
        {
            object? status = SqliteDatabase.Scalar(c, t, "SELECT status FROM selflearning_experiments WHERE key = $key;", ("$key", experimentKey));
            if (status is null)
            {
                return ExperimentWriteResult.NotFound;
            }

            if (Convert.ToInt64(status, CultureInfo.InvariantCulture) != (long)ExperimentStatus.Running)
            {
                // Released with the conclusion (see the remarks).
                return ExperimentWriteResult.Unchanged;
            }

            int inserted = SqliteDatabase.Execute(
                c,
                t,
                "INSERT INTO selflearning_experiment_units (experiment_key, unit_key, arm) VALUES ($key, $unit, $arm) ON CONFLICT DO NOTHING;",
                ("$key", experimentKey),
                ("$unit", unitFingerprint),
                ("$arm", (int)arm));
            if (inserted == 0)
            {
                return ExperimentWriteResult.Unchanged;
            }

            SqliteDatabase.Execute(
                c,
                t,
                arm == ExperimentArm.Challenger
                    ? "UPDATE selflearning_experiments SET challenger_units = challenger_units + 1 WHERE key = $key;"
                    : "UPDATE selflearning_experiments SET champion_units = champion_units + 1 WHERE key = $key;",
                ("$key", experimentKey));
            return ExperimentWriteResult.Written;
        });

    public Task<ExperimentWriteResult> AppendOutcomeAsync(ExperimentOutcome outcome, CancellationToken cancellationToken) =>
        _database.WriteGroupedAsync((c, t) => Append(c, t, outcome));

    public Task<ExperimentWriteResult> ResolvePredictionAsync(
        string predictionId, DateTimeOffset now, Func<StoredPrediction, ExperimentOutcome> decide, CancellationToken cancellationToken) =>
        _database.WriteGroupedAsync((c, t) =>
        {
            // Read, decided and appended in the one grouped transaction: no read of its own before the write.
            StoredPrediction? stored;
            using (var command = SqliteDatabase.Command(
                c,
                t,
                $"""
                SELECT {ExperimentRows.ExperimentColumns}, arm, served_output, shadow_output
                FROM selflearning_experiment_predictions JOIN selflearning_experiments ON key = experiment_key
                WHERE prediction_id = $id AND expires_at > $now;
                """,
                ("$id", predictionId),
                ("$now", now.UtcTicks)))
            using (var reader = command.ExecuteReader())
            {
                stored = reader.Read() ? ExperimentRows.ReadStoredPrediction(predictionId, _rows.ReadExperiment(reader), reader) : null;
            }

            return stored is null ? ExperimentWriteResult.NotFound : Append(c, t, decide(stored));
        });

    /// <summary>Adds an outcome to the tallies (resolving its prediction once first, when it has one) in the caller's transaction.</summary>
    private static ExperimentWriteResult Append(SqliteConnection c, SqliteTransaction t, ExperimentOutcome outcome)
    {
        if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiments WHERE key = $key;", ("$key", outcome.ExperimentKey)) is null)
        {
            return ExperimentWriteResult.NotFound;
        }

        if (outcome.PredictionId is { } predictionId)
        {
            if (SqliteDatabase.Scalar(
                c,
                t,
                "SELECT 1 FROM selflearning_experiment_predictions WHERE prediction_id = $id AND experiment_key = $key AND expires_at > $now;",
                ("$id", predictionId),
                ("$key", outcome.ExperimentKey),
                ("$now", outcome.RecordedAt.UtcTicks)) is null)
            {
                return ExperimentWriteResult.NotFound;
            }

            if (SqliteDatabase.Execute(
                c,
                t,
                "INSERT INTO selflearning_experiment_resolutions (prediction_id, metric) VALUES ($id, $metric) ON CONFLICT DO NOTHING;",
                ("$id", predictionId),
                ("$metric", outcome.Metric)) == 0)
            {
                return ExperimentWriteResult.Unchanged;
            }
        }

        foreach (var (series, value) in ExperimentRows.Increments(outcome))
        {
            SqliteDatabase.Execute(
                c, t, AddToTally, ("$key", outcome.ExperimentKey), ("$series", series), ("$metric", outcome.Metric), ("$value", value), ("$square", value * value));
        }

        return ExperimentWriteResult.Written;
    }

    public Task<ExperimentWriteResult> AddPredictionAsync(PredictionRecord prediction, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteGroupedAsync((c, t) =>
        {
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiments WHERE key = $key;", ("$key", prediction.ExperimentKey)) is null)
            {
                return ExperimentWriteResult.NotFound;
            }

            Sweep(c, t, now.UtcTicks);
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiment_predictions WHERE prediction_id = $id;", ("$id", prediction.PredictionId)) is not null)
            {
                return ExperimentWriteResult.Unchanged;
            }

            SqliteDatabase.Execute(
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
                ("$expires", expiresAt.UtcTicks));
            return ExperimentWriteResult.Written;
        });

    public Task<ExperimentTallies?> ReadTalliesAsync(string experimentKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read<ExperimentTallies?>((c, t) =>
        {
            long champion, challenger, expired;
            using (var command = SqliteDatabase.Command(
                c,
                t,
                $"SELECT champion_units, challenger_units, expired_predictions + ({ExpiredWithoutOutcome}) FROM selflearning_experiments WHERE key = $key;",
                ("$key", experimentKey),
                ("$now", now.UtcTicks)))
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                (champion, challenger, expired) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            using var tallies = SqliteDatabase.Command(
                c, t, $"SELECT {ExperimentRows.TallyColumns} FROM selflearning_experiment_tallies WHERE experiment_key = $key;", ("$key", experimentKey));
            using var rows = tallies.ExecuteReader();
            return ExperimentRows.ReadTallies(experimentKey, champion, challenger, expired, rows);
        }));

    public Task<ExperimentWriteResult> AppendDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken)
    {
        string reasons = ExperimentJson.Write(decision.Reasons);
        string analysis = ExperimentJson.Write(decision.Analysis);
        return Task.FromResult(_database.Write((c, t) =>
        {
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiments WHERE key = $key;", ("$key", decision.ExperimentKey)) is null)
            {
                return ExperimentWriteResult.NotFound;
            }

            SqliteDatabase.Execute(
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
            return ExperimentWriteResult.Written;
        }));
    }

    public Task<IReadOnlyList<ExperimentDecision>?> ReadDecisionsAsync(string experimentKey, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read<IReadOnlyList<ExperimentDecision>?>((c, t) =>
        {
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_experiments WHERE key = $key;", ("$key", experimentKey)) is null)
            {
                return null;
            }

            using var command = SqliteDatabase.Command(
                c,
                t,
                $"SELECT {ExperimentRows.DecisionColumns} FROM selflearning_experiment_decisions WHERE experiment_key = $key ORDER BY sequence;",
                ("$key", experimentKey));
            using var reader = command.ExecuteReader();
            var decisions = new List<ExperimentDecision>();
            while (reader.Read())
            {
                decisions.Add(ExperimentRows.ReadDecision(experimentKey, reader));
            }

            return decisions;
        }));

    /// <summary>The database's own key for unit fingerprints: the one kept, or <paramref name="candidate"/> kept now.</summary>
    private static byte[] StoreKey(SqliteConnection c, SqliteTransaction t, byte[] candidate)
    {
        if (SqliteDatabase.Scalar(c, t, "SELECT key FROM selflearning_store_keys WHERE purpose = $purpose;", ("$purpose", UnitKeyPurpose)) is byte[] key)
        {
            return key;
        }

        SqliteDatabase.Execute(c, t, "INSERT INTO selflearning_store_keys (purpose, key) VALUES ($purpose, $key);", ("$purpose", UnitKeyPurpose), ("$key", candidate));
        return candidate;
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
        using var command = SqliteDatabase.Command(c, t, $"SELECT {ExperimentRows.ExperimentColumns} FROM selflearning_experiments {where};", parameters);
        using var reader = command.ExecuteReader();
        var experiments = new List<Experiment>();
        while (reader.Read())
        {
            experiments.Add(_rows.ReadExperiment(reader));
        }

        return experiments;
    }
}
