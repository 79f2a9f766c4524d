using Microsoft.Extensions.Logging;
using Npgsql;
using SelfLearning.Experiments;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The experiment storage port on PostgreSQL: experiments, unit fingerprints, tallies, kept predictions and decisions in
/// the <c>selflearning</c> schema, shared by every instance on the database.
/// </summary>
/// <remarks>
/// <para>
/// Each write is one transaction, and every promise of the port is kept by the database rather than by a lock in the
/// process: a unit counts once because the units' primary key refuses a second insert (and its count is raised in the same
/// transaction); an outcome of a prediction counts once per metric because the resolutions' primary key does; tallies are
/// upserts that add to the sums, so writers on any number of instances lose nothing. Rows locked by a writer are locked in
/// one order (resolution, then tallies in series order), so concurrent writers wait and never deadlock.
/// </para>
/// <para>
/// Expired predictions are deleted when the next prediction is kept; the delete returns the rows it removed, so two instances
/// sweeping at once count each expired prediction once.
/// </para>
/// </remarks>
internal sealed class PostgreSqlExperimentStorage : IExperimentStorage, IDisposable
{
    private const string S = PostgreSqlDatabase.Schema;
    private const string UnitKeyPurpose = "experiment-units";

    private const string ExpiredWithoutOutcome = $"""
        SELECT count(*) FROM {S}.experiment_predictions p
        WHERE p.experiment_key = $1 AND p.expires_at <= $2
          AND NOT EXISTS (SELECT 1 FROM {S}.experiment_resolutions r WHERE r.prediction_id = p.prediction_id)
        """;

    private readonly PostgreSqlDatabase _database;
    private readonly ExperimentRows _rows = new();

    public PostgreSqlExperimentStorage(string connectionString, TimeProvider timeProvider, ILogger logger)
    {
        _database = new PostgreSqlDatabase(connectionString, timeProvider, logger);
        _database.Migrate(ExperimentMigrations.All);
    }

    public async Task<Experiment?> ReadExperimentAsync(string experimentKey, CancellationToken cancellationToken) =>
        (await ReadExperimentsAsync(experimentKey, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken) =>
        await ReadExperimentsAsync(null, cancellationToken).ConfigureAwait(false);

    public async Task SaveExperimentAsync(Experiment experiment, bool releaseUnits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The upsert locks the row first, so an exposure racing the release waits and then finds the units released.
        await ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.experiments ({ExperimentRows.ExperimentColumns}, units_released) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (key) DO UPDATE SET definition = excluded.definition, status = excluded.status, ramp_step = excluded.ramp_step,
                started_at = excluded.started_at, step_started_at = excluded.step_started_at, ended_at = excluded.ended_at,
                units_released = {S}.experiments.units_released OR excluded.units_released;
            """,
            cancellationToken,
            experiment.Key,
            ExperimentJson.Write(experiment.Definition),
            (int)experiment.Status,
            experiment.RampStep,
            experiment.StartedAt.UtcTicks,
            experiment.StepStartedAt.UtcTicks,
            experiment.EndedAt?.UtcTicks,
            releaseUnits).ConfigureAwait(false);
        if (releaseUnits)
        {
            await ExecuteAsync(c, t, $"DELETE FROM {S}.experiment_units WHERE experiment_key = $1;", cancellationToken, experiment.Key).ConfigureAwait(false);
        }

        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Units, tallies, predictions (with their resolutions) and decisions go with it by cascade.
        bool deleted = await ExecuteAsync(c, null, $"DELETE FROM {S}.experiments WHERE key = $1;", cancellationToken, experimentKey).ConfigureAwait(false) > 0;
        _rows.Forget(experimentKey);
        return deleted;
    }

    public async Task<byte[]> GetOrAddUnitKeyAsync(byte[] candidate, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            c, null, $"INSERT INTO {S}.store_keys (purpose, key) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING;", cancellationToken, UnitKeyPurpose, candidate).ConfigureAwait(false);
        return (byte[])(await ScalarAsync(c, null, $"SELECT key FROM {S}.store_keys WHERE purpose = $1;", cancellationToken, UnitKeyPurpose).ConfigureAwait(false))!;
    }

    public async Task<ExperimentWriteResult> AppendExposureAsync(string experimentKey, string unitFingerprint, ExperimentArm arm, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            int inserted = await ForeignKeyAsZeroAsync(ExecuteAsync(
                c,
                t,
                $"""
                INSERT INTO {S}.experiment_units (experiment_key, unit_key, arm)
                SELECT key, $2, $3 FROM {S}.experiments WHERE key = $1 AND NOT units_released
                ON CONFLICT (experiment_key, unit_key) DO NOTHING;
                """,
                cancellationToken,
                experimentKey,
                unitFingerprint,
                (int)arm)).ConfigureAwait(false);
            if (inserted == 1)
            {
                // The count is raised only while the units are not released; a release that committed meanwhile undoes the insert.
                string column = arm == ExperimentArm.Challenger ? "challenger_units" : "champion_units";
                if (await ExecuteAsync(
                    c, t, $"UPDATE {S}.experiments SET {column} = {column} + 1 WHERE key = $1 AND NOT units_released;", cancellationToken, experimentKey).ConfigureAwait(false) == 1)
                {
                    await t.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return ExperimentWriteResult.Written;
                }
            }
        }

        return await ScalarAsync(c, null, $"SELECT 1 FROM {S}.experiments WHERE key = $1;", cancellationToken, experimentKey).ConfigureAwait(false) is null
            ? ExperimentWriteResult.NotFound
            : ExperimentWriteResult.Unchanged;
    }

    public async Task<ExperimentWriteResult> AppendOutcomeAsync(ExperimentOutcome outcome, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        ExperimentWriteResult result = await AppendAsync(c, t, outcome, cancellationToken).ConfigureAwait(false);
        if (result == ExperimentWriteResult.Written)
        {
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<ExperimentWriteResult> ResolvePredictionAsync(
        string predictionId, DateTimeOffset now, Func<StoredPrediction, ExperimentOutcome> decide, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        StoredPrediction? stored;
        await using (NpgsqlCommand command = PostgreSqlDatabase.Command(
            c,
            t,
            $"""
            SELECT {ExperimentRows.ExperimentColumns}, arm, served_output, shadow_output
            FROM {S}.experiment_predictions JOIN {S}.experiments ON key = experiment_key
            WHERE prediction_id = $1 AND expires_at > $2;
            """,
            predictionId,
            now.UtcTicks))
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            stored = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? ExperimentRows.ReadStoredPrediction(predictionId, _rows.ReadExperiment(reader), reader)
                : null;
        }

        if (stored is null)
        {
            return ExperimentWriteResult.NotFound;
        }

        // A decision that throws leaves the transaction uncommitted: nothing is written.
        ExperimentWriteResult result = await AppendAsync(c, t, decide(stored), cancellationToken).ConfigureAwait(false);
        if (result == ExperimentWriteResult.Written)
        {
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<ExperimentWriteResult> AddPredictionAsync(PredictionRecord prediction, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The sweep counts what its own delete removed: a row another instance deleted first is not returned here.
        await ExecuteAsync(
            c,
            t,
            $"""
            WITH gone AS (
                DELETE FROM {S}.experiment_predictions p WHERE p.expires_at <= $1
                RETURNING p.experiment_key, NOT EXISTS (SELECT 1 FROM {S}.experiment_resolutions r WHERE r.prediction_id = p.prediction_id) AS lost)
            UPDATE {S}.experiments e SET expired_predictions = e.expired_predictions + g.n
            FROM (SELECT experiment_key, count(*) FILTER (WHERE lost) AS n FROM gone GROUP BY experiment_key) g
            WHERE e.key = g.experiment_key AND g.n > 0;
            """,
            cancellationToken,
            now.UtcTicks).ConfigureAwait(false);
        int? kept = await ParentMissingAsNullAsync(ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.experiment_predictions (prediction_id, experiment_key, arm, served_output, shadow_output, expires_at)
            SELECT $1, key, $3, $4, $5, $6 FROM {S}.experiments WHERE key = $2
            ON CONFLICT (prediction_id) DO NOTHING;
            """,
            cancellationToken,
            prediction.PredictionId,
            prediction.ExperimentKey,
            (int)prediction.Arm,
            prediction.ServedOutput,
            prediction.ShadowOutput,
            expiresAt.UtcTicks)).ConfigureAwait(false);
        if (kept is null)
        {
            // The experiment was deleted between the select and the insert; the transaction is aborted, nothing was kept.
            return ExperimentWriteResult.NotFound;
        }

        ExperimentWriteResult result = kept == 1
            ? ExperimentWriteResult.Written
            : await ScalarAsync(c, t, $"SELECT 1 FROM {S}.experiments WHERE key = $1;", cancellationToken, prediction.ExperimentKey).ConfigureAwait(false) is null
                ? ExperimentWriteResult.NotFound
                : ExperimentWriteResult.Unchanged;
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<ExperimentTallies?> ReadTalliesAsync(string experimentKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the counters and the tallies, so they agree.
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long champion, challenger, expired;
        await using (NpgsqlCommand counters = PostgreSqlDatabase.Command(
            c, t, $"SELECT champion_units, challenger_units, expired_predictions + ({ExpiredWithoutOutcome}) FROM {S}.experiments WHERE key = $1;", experimentKey, now.UtcTicks))
        await using (NpgsqlDataReader reader = await counters.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            (champion, challenger, expired) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        await using NpgsqlCommand tallies = PostgreSqlDatabase.Command(
            c, t, $"SELECT {ExperimentRows.TallyColumns} FROM {S}.experiment_tallies WHERE experiment_key = $1;", experimentKey);
        await using NpgsqlDataReader rows = await tallies.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return ExperimentRows.ReadTallies(experimentKey, champion, challenger, expired, rows);
    }

    public async Task<ExperimentWriteResult> AppendDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The experiment row's lock numbers the decisions of one experiment one at a time across instances.
        if (await ScalarAsync(c, t, $"SELECT 1 FROM {S}.experiments WHERE key = $1 FOR NO KEY UPDATE;", cancellationToken, decision.ExperimentKey).ConfigureAwait(false) is null)
        {
            return ExperimentWriteResult.NotFound;
        }

        await ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.experiment_decisions (experiment_key, sequence, {ExperimentRows.DecisionColumns})
            VALUES ($1, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM {S}.experiment_decisions WHERE experiment_key = $1), $2, $3, $4, $5, $6, $7);
            """,
            cancellationToken,
            decision.ExperimentKey,
            (int)decision.Action,
            decision.DecidedAt.UtcTicks,
            decision.RampStep,
            decision.ChallengerShare,
            ExperimentJson.Write(decision.Reasons),
            ExperimentJson.Write(decision.Analysis)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ExperimentWriteResult.Written;
    }

    public async Task<IReadOnlyList<ExperimentDecision>?> ReadDecisionsAsync(string experimentKey, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(c, t, $"SELECT 1 FROM {S}.experiments WHERE key = $1;", cancellationToken, experimentKey).ConfigureAwait(false) is null)
        {
            return null;
        }

        await using NpgsqlCommand command = PostgreSqlDatabase.Command(
            c, t, $"SELECT {ExperimentRows.DecisionColumns} FROM {S}.experiment_decisions WHERE experiment_key = $1 ORDER BY sequence;", experimentKey);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var decisions = new List<ExperimentDecision>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            decisions.Add(ExperimentRows.ReadDecision(experimentKey, reader));
        }

        return decisions;
    }

    public void Dispose() => _database.Dispose();

    /// <summary>
    /// Resolves the outcome's prediction once (when it has one) and adds the outcome to the tallies, in the caller's
    /// transaction; the caller commits only on <see cref="ExperimentWriteResult.Written"/>.
    /// </summary>
    private static async Task<ExperimentWriteResult> AppendAsync(NpgsqlConnection c, NpgsqlTransaction t, ExperimentOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.PredictionId is { } predictionId)
        {
            int? resolved = await ParentMissingAsNullAsync(ExecuteAsync(
                c,
                t,
                $"""
                INSERT INTO {S}.experiment_resolutions (prediction_id, metric)
                SELECT prediction_id, $2 FROM {S}.experiment_predictions WHERE prediction_id = $1 AND experiment_key = $3 AND expires_at > $4
                ON CONFLICT (prediction_id, metric) DO NOTHING;
                """,
                cancellationToken,
                predictionId,
                outcome.Metric,
                outcome.ExperimentKey,
                outcome.RecordedAt.UtcTicks)).ConfigureAwait(false);
            if (resolved is null)
            {
                return ExperimentWriteResult.NotFound;
            }

            if (resolved == 0)
            {
                // Either the metric was resolved already (a new statement sees the other writer's committed row) or the prediction is gone.
                return await ScalarAsync(
                    c, t, $"SELECT 1 FROM {S}.experiment_resolutions WHERE prediction_id = $1 AND metric = $2;", cancellationToken, predictionId, outcome.Metric)
                    .ConfigureAwait(false) is null ? ExperimentWriteResult.NotFound : ExperimentWriteResult.Unchanged;
            }
        }

        (int Series, double Value)[] increments = ExperimentRows.Increments(outcome);
        int added = await ForeignKeyAsZeroAsync(ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.experiment_tallies AS t (experiment_key, series, metric, n, sum, sum_squares)
            SELECT e.key, v.series, $2, 1, v.value, v.value * v.value
            FROM {S}.experiments e CROSS JOIN unnest($3::integer[], $4::double precision[]) WITH ORDINALITY AS v(series, value, position)
            WHERE e.key = $1
            ORDER BY v.position
            ON CONFLICT (experiment_key, series, metric) DO UPDATE SET n = t.n + 1, sum = t.sum + excluded.sum, sum_squares = t.sum_squares + excluded.sum_squares;
            """,
            cancellationToken,
            outcome.ExperimentKey,
            outcome.Metric,
            increments.Select(i => i.Series).ToArray(),
            increments.Select(i => i.Value).ToArray())).ConfigureAwait(false);
        return added == 0 ? ExperimentWriteResult.NotFound : ExperimentWriteResult.Written;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using NpgsqlCommand command = PostgreSqlDatabase.Command(c, t, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using NpgsqlCommand command = PostgreSqlDatabase.Command(c, t, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an insert whose rows need a parent (the experiment, the prediction); a parent deleted by another instance between
    /// the select and the insert is a foreign key violation, reported as no row inserted. The transaction is then aborted, and
    /// the caller, seeing 0, does not commit it.
    /// </summary>
    private static async Task<int> ForeignKeyAsZeroAsync(Task<int> insert) => await ParentMissingAsNullAsync(insert).ConfigureAwait(false) ?? 0;

    /// <summary>Like <see cref="ForeignKeyAsZeroAsync"/>, but a missing parent is <see langword="null"/>, told apart from a conflict (0).</summary>
    private static async Task<int?> ParentMissingAsNullAsync(Task<int> insert)
    {
        try
        {
            return await insert.ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return null;
        }
    }

    /// <summary>Reads the experiment with <paramref name="key"/>, or every experiment when it is <see langword="null"/>.</summary>
    private async Task<List<Experiment>> ReadExperimentsAsync(string? key, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = key is null
            ? PostgreSqlDatabase.Command(c, null, $"SELECT {ExperimentRows.ExperimentColumns} FROM {S}.experiments;")
            : PostgreSqlDatabase.Command(c, null, $"SELECT {ExperimentRows.ExperimentColumns} FROM {S}.experiments WHERE key = $1;", key);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var experiments = new List<Experiment>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            experiments.Add(_rows.ReadExperiment(reader));
        }

        return experiments;
    }
}
