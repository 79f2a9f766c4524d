namespace SelfLearning.PostgreSql;

/// <summary>The experiment storage's schema steps, in order. Append new steps; never change what a shipped step creates.</summary>
internal static class ExperimentMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new("experiments-0001-initial", $"""
            -- One row per experiment: its saved state (definition as JSON, times as UTC ticks) and its counters.
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiments (
                key text PRIMARY KEY,
                definition text NOT NULL,
                status integer NOT NULL,
                ramp_step integer NOT NULL,
                started_at bigint NOT NULL,
                step_started_at bigint NOT NULL,
                ended_at bigint,
                units_released boolean NOT NULL DEFAULT false,
                champion_units bigint NOT NULL DEFAULT 0,
                challenger_units bigint NOT NULL DEFAULT 0,
                expired_predictions bigint NOT NULL DEFAULT 0
            );
            -- Units as keyed fingerprints only; the primary key counts a unit once whichever instance exposes it.
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiment_units (
                experiment_key text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.experiments (key) ON DELETE CASCADE,
                unit_key text NOT NULL,
                arm integer NOT NULL,
                PRIMARY KEY (experiment_key, unit_key)
            );
            -- Running sums per series (0 champion, 1 challenger, 2-4 the shadow pairs) and metric; only ever added to.
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiment_tallies (
                experiment_key text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.experiments (key) ON DELETE CASCADE,
                series integer NOT NULL,
                metric text NOT NULL,
                n bigint NOT NULL,
                sum double precision NOT NULL,
                sum_squares double precision NOT NULL,
                PRIMARY KEY (experiment_key, series, metric)
            );
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiment_predictions (
                prediction_id text PRIMARY KEY,
                experiment_key text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.experiments (key) ON DELETE CASCADE,
                arm integer NOT NULL,
                served_output text,
                shadow_output text,
                expires_at bigint NOT NULL
            );
            CREATE INDEX experiment_predictions_expiry ON {PostgreSqlDatabase.Schema}.experiment_predictions (expires_at);
            CREATE INDEX experiment_predictions_experiment ON {PostgreSqlDatabase.Schema}.experiment_predictions (experiment_key);
            -- A prediction's outcome counts once per metric, across every instance: the primary key refuses the second.
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiment_resolutions (
                prediction_id text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.experiment_predictions (prediction_id) ON DELETE CASCADE,
                metric text NOT NULL,
                PRIMARY KEY (prediction_id, metric)
            );
            CREATE TABLE {PostgreSqlDatabase.Schema}.experiment_decisions (
                experiment_key text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.experiments (key) ON DELETE CASCADE,
                sequence bigint NOT NULL,
                action integer NOT NULL,
                decided_at bigint NOT NULL,
                ramp_step integer NOT NULL,
                challenger_share double precision NOT NULL,
                reasons text NOT NULL,
                analysis text NOT NULL,
                PRIMARY KEY (experiment_key, sequence)
            );
            -- The database's own random keys (the unit fingerprint key when the host gives none).
            CREATE TABLE {PostgreSqlDatabase.Schema}.store_keys (
                purpose text PRIMARY KEY,
                key bytea NOT NULL
            );
            """),
    ];
}
