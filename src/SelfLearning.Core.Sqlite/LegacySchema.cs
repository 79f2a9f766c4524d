using Microsoft.Data.Sqlite;

namespace SelfLearning.Sqlite;

/// <summary>
/// Brings a database written before the <c>selflearning_</c> prefix forward. Those versions recorded their steps
/// in an unprefixed <c>schema_migrations</c> table (the name Rails and golang-migrate also use) and created
/// unprefixed tables (<c>experiments</c>, <c>registry_versions</c>, …). Each recorded step's objects are renamed
/// to the prefixed names its step now creates, and the step moves to <see cref="SqliteSchema.MigrationTable"/>
/// with its original time. Data is renamed in place, never copied, so nothing can be lost on the way.
/// </summary>
/// <remarks>
/// A <c>schema_migrations</c> table is only read when it has SelfLearning's columns (<c>id</c>, <c>applied_at</c>);
/// another application's table of that name is left alone. Rows that are not SelfLearning steps stay in it, and it is
/// dropped only when it held nothing else.
/// </remarks>
internal static class LegacySchema
{
    /// <summary>The unprefixed migration table of the first versions.</summary>
    public const string MigrationTable = "schema_migrations";

    /// <summary>For each shipped step, the statements that rename what it created to the names it creates now.</summary>
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["registry-0001-initial"] = """
            ALTER TABLE registry_models RENAME TO selflearning_registry_models;
            ALTER TABLE registry_versions RENAME TO selflearning_registry_versions;
            ALTER TABLE registry_artifacts RENAME TO selflearning_registry_artifacts;
            ALTER TABLE registry_aliases RENAME TO selflearning_registry_aliases;
            ALTER TABLE registry_transitions RENAME TO selflearning_registry_transitions;
            DROP INDEX registry_one_champion;
            CREATE UNIQUE INDEX selflearning_registry_one_champion ON selflearning_registry_versions (name) WHERE stage = 2;
            """,
        ["cases-0001-initial"] = """
            ALTER TABLE feedback_cases RENAME TO selflearning_feedback_cases;
            DROP INDEX feedback_cases_watermark;
            CREATE UNIQUE INDEX selflearning_feedback_cases_watermark ON selflearning_feedback_cases (watermark_at, id_key, reviewer_key);
            """,
        ["experiments-0001-initial"] = """
            ALTER TABLE experiments RENAME TO selflearning_experiments;
            ALTER TABLE experiment_units RENAME TO selflearning_experiment_units;
            ALTER TABLE experiment_tallies RENAME TO selflearning_experiment_tallies;
            ALTER TABLE experiment_predictions RENAME TO selflearning_experiment_predictions;
            ALTER TABLE experiment_resolutions RENAME TO selflearning_experiment_resolutions;
            ALTER TABLE experiment_decisions RENAME TO selflearning_experiment_decisions;
            DROP INDEX experiment_predictions_expiry;
            CREATE INDEX selflearning_experiment_predictions_expiry ON selflearning_experiment_predictions (expires_at);
            """,
        ["training-0001-initial"] = $"""
            ALTER TABLE training_jobs RENAME TO selflearning_training_jobs;
            ALTER TABLE training_job_transitions RENAME TO selflearning_training_job_transitions;
            DROP INDEX training_jobs_by_model;
            DROP INDEX training_jobs_by_state;
            DROP TRIGGER training_jobs_version;
            DROP TRIGGER training_jobs_terminal;
            {TrainingMigrations.IndexesAndTriggers}
            """,
    };

    /// <summary>
    /// Moves every SelfLearning step recorded in a legacy <c>schema_migrations</c> to the prefixed schema; called in the
    /// write transaction that creates <see cref="SqliteSchema.MigrationTable"/>, so a database is either fully moved or untouched.
    /// </summary>
    /// <returns>The steps moved, for the log.</returns>
    public static IReadOnlyList<string> Adopt(SqliteConnection connection, SqliteTransaction transaction, string databasePath)
    {
        if (!SqliteSchema.Exists(connection, transaction, MigrationTable))
        {
            return [];
        }

        IReadOnlyList<string> columns = SqliteSchema.Columns(connection, transaction, MigrationTable);
        if (!columns.Contains("id", StringComparer.OrdinalIgnoreCase) || !columns.Contains("applied_at", StringComparer.OrdinalIgnoreCase))
        {
            return [];
        }

        var recorded = new List<(string Id, object AppliedAt)>();
        using (var command = SqliteDatabase.Command(connection, transaction, $"SELECT id, applied_at FROM {MigrationTable} ORDER BY applied_at, id;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetValue(0) is string id && Renames.ContainsKey(id))
                {
                    recorded.Add((id, reader.GetValue(1)));
                }
            }
        }

        foreach (var (id, appliedAt) in recorded)
        {
            string sql = Renames[id];
            SqliteSchema.EnsureNamesFree(connection, transaction, databasePath, id, sql);
            SqliteDatabase.Execute(connection, transaction, sql);
            SqliteDatabase.Execute(
                connection,
                transaction,
                $"INSERT INTO {SqliteSchema.MigrationTable} (id, applied_at) VALUES ($id, $at);",
                ("$id", id),
                ("$at", appliedAt));
            SqliteDatabase.Execute(connection, transaction, $"DELETE FROM {MigrationTable} WHERE id = $id;", ("$id", id));
        }

        if (recorded.Count > 0 && SqliteDatabase.Scalar(connection, transaction, $"SELECT 1 FROM {MigrationTable} LIMIT 1;") is null)
        {
            SqliteDatabase.Execute(connection, transaction, $"DROP TABLE {MigrationTable};");
        }

        return recorded.ConvertAll(r => r.Id);
    }
}
