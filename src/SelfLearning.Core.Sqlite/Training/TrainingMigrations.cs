namespace SelfLearning.Sqlite;

/// <summary>
/// The training job store's schema steps, in order. Append new steps; never change what a shipped step creates. Every name carries the
/// <c>selflearning_</c> prefix; a database written before the prefix is moved onto these names by <see cref="LegacySchema"/>.
/// </summary>
internal static class TrainingMigrations
{
    /// <summary>The job table's indexes and its concurrency triggers, shared by the first step and the move of a legacy database.</summary>
    public const string IndexesAndTriggers = """
            CREATE INDEX selflearning_training_jobs_by_model ON selflearning_training_jobs (model_key, sequence);
            CREATE INDEX selflearning_training_jobs_by_state ON selflearning_training_jobs (state, sequence);

            -- Optimistic concurrency, enforced by the database as well as by the store: every write moves the
            -- version on by exactly one, and a finished job never changes state again.
            CREATE TRIGGER selflearning_training_jobs_version BEFORE UPDATE ON selflearning_training_jobs
            WHEN NEW.version <> OLD.version + 1
            BEGIN
                SELECT RAISE(ABORT, 'training job version must increase by one per write');
            END;

            CREATE TRIGGER selflearning_training_jobs_terminal BEFORE UPDATE OF state ON selflearning_training_jobs
            WHEN OLD.state IN (3, 4, 5) AND NEW.state <> OLD.state
            BEGIN
                SELECT RAISE(ABORT, 'a completed, failed or cancelled training job cannot change state');
            END;
        """;

    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new("training-0001-initial", $"""
            CREATE TABLE selflearning_training_jobs (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                model_key TEXT NOT NULL,
                model_type TEXT NOT NULL,
                priority INTEGER NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 5),
                trigger_kind INTEGER NOT NULL,
                parameters TEXT NOT NULL,
                seed INTEGER NOT NULL,
                tune INTEGER NOT NULL CHECK (tune IN (0, 1)),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                not_before INTEGER,
                attempts INTEGER NOT NULL CHECK (attempts >= 0),
                failure_reason TEXT,
                progress TEXT,
                metrics TEXT NOT NULL,
                parameters_used TEXT,
                wall_time INTEGER,
                cpu_time INTEGER,
                allocated_bytes INTEGER,
                artifact_format TEXT,
                artifact BLOB,
                lease_owner TEXT,
                lease_expires_at INTEGER
            ) STRICT;

            {IndexesAndTriggers}

            CREATE TABLE selflearning_training_job_transitions (
                job_id TEXT NOT NULL REFERENCES selflearning_training_jobs (id),
                ordinal INTEGER NOT NULL,
                from_state INTEGER NOT NULL,
                to_state INTEGER NOT NULL,
                at INTEGER NOT NULL,
                reason TEXT,
                PRIMARY KEY (job_id, ordinal)
            ) STRICT;
            """),
    ];
}
