namespace SelfLearning.Sqlite;

/// <summary>The experiment store's schema steps, in order. Append new steps; never edit a shipped one.</summary>
internal static class ExperimentMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new("experiments-0001-initial", """
            CREATE TABLE experiments (
                key TEXT NOT NULL PRIMARY KEY,
                definition TEXT NOT NULL,
                status INTEGER NOT NULL,
                ramp_step INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                step_started_at INTEGER NOT NULL,
                ended_at INTEGER,
                champion_units INTEGER NOT NULL DEFAULT 0,
                challenger_units INTEGER NOT NULL DEFAULT 0,
                expired_predictions INTEGER NOT NULL DEFAULT 0
            ) STRICT;

            -- One row per distinct exposed unit: the primary key is what makes a unit count once.
            CREATE TABLE experiment_units (
                experiment_key TEXT NOT NULL REFERENCES experiments (key),
                unit_id TEXT NOT NULL,
                arm INTEGER NOT NULL,
                PRIMARY KEY (experiment_key, unit_id)
            ) STRICT, WITHOUT ROWID;

            -- Running sums per series (0 champion, 1 challenger, 2-4 shadow pairs: champion, challenger, difference).
            CREATE TABLE experiment_tallies (
                experiment_key TEXT NOT NULL REFERENCES experiments (key),
                series INTEGER NOT NULL CHECK (series BETWEEN 0 AND 4),
                metric TEXT NOT NULL,
                n INTEGER NOT NULL,
                sum REAL NOT NULL,
                sum_squares REAL NOT NULL,
                PRIMARY KEY (experiment_key, series, metric)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE experiment_predictions (
                prediction_id TEXT NOT NULL PRIMARY KEY,
                experiment_key TEXT NOT NULL REFERENCES experiments (key),
                arm INTEGER NOT NULL,
                served_output TEXT,
                shadow_output TEXT,
                expires_at INTEGER NOT NULL
            ) STRICT;

            CREATE INDEX experiment_predictions_expiry ON experiment_predictions (expires_at);

            -- The metrics already resolved for a prediction: each is counted once.
            CREATE TABLE experiment_resolutions (
                prediction_id TEXT NOT NULL REFERENCES experiment_predictions (prediction_id) ON DELETE CASCADE,
                metric TEXT NOT NULL,
                PRIMARY KEY (prediction_id, metric)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE experiment_decisions (
                experiment_key TEXT NOT NULL REFERENCES experiments (key),
                sequence INTEGER NOT NULL,
                action INTEGER NOT NULL,
                decided_at INTEGER NOT NULL,
                ramp_step INTEGER NOT NULL,
                challenger_share REAL NOT NULL,
                reasons TEXT NOT NULL,
                analysis TEXT NOT NULL,
                PRIMARY KEY (experiment_key, sequence)
            ) STRICT;
            """),
    ];
}
