namespace SelfLearning.PostgreSql;

/// <summary>The registry store's schema steps, in order. Append new steps; never change what a shipped step creates.</summary>
internal static class RegistryMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new("registry-0001-initial", $"""
            -- One row per model: its revision moves on by one with every commit (the registry's optimistic concurrency).
            CREATE TABLE {PostgreSqlDatabase.Schema}.registry_models (
                name text PRIMARY KEY,
                revision bigint NOT NULL CHECK (revision >= 1),
                version_count integer NOT NULL CHECK (version_count >= 0)
            );
            CREATE TABLE {PostgreSqlDatabase.Schema}.registry_versions (
                name text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.registry_models (name),
                version integer NOT NULL CHECK (version >= 1),
                stage integer NOT NULL,
                metrics text NOT NULL,
                parameters text NOT NULL,
                tags text NOT NULL,
                dataset_hash text,
                trainer_type text,
                parent_version integer,
                training_job_id text,
                artifact_sha256 text NOT NULL,
                artifact_size bigint NOT NULL,
                created_at bigint NOT NULL,
                created_by text NOT NULL,
                evaluation_report text,
                training_watermark text,
                holdout_size integer,
                reference_scores text,
                PRIMARY KEY (name, version)
            );
            -- At most one champion per model, whoever writes: the schema holds the registry's rule across instances.
            CREATE UNIQUE INDEX registry_versions_one_champion ON {PostgreSqlDatabase.Schema}.registry_versions (name) WHERE stage = 2;
            CREATE TABLE {PostgreSqlDatabase.Schema}.registry_artifacts (
                name text NOT NULL,
                version integer NOT NULL,
                content bytea NOT NULL,
                PRIMARY KEY (name, version),
                FOREIGN KEY (name, version) REFERENCES {PostgreSqlDatabase.Schema}.registry_versions (name, version)
            );
            CREATE TABLE {PostgreSqlDatabase.Schema}.registry_aliases (
                name text NOT NULL,
                alias text NOT NULL,
                version integer NOT NULL,
                PRIMARY KEY (name, alias),
                FOREIGN KEY (name, version) REFERENCES {PostgreSqlDatabase.Schema}.registry_versions (name, version)
            );
            CREATE TABLE {PostgreSqlDatabase.Schema}.registry_transitions (
                name text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.registry_models (name),
                sequence bigint NOT NULL,
                revision bigint NOT NULL,
                version integer NOT NULL,
                from_stage integer,
                to_stage integer NOT NULL,
                operation integer NOT NULL,
                at bigint NOT NULL,
                actor text NOT NULL,
                reason text,
                PRIMARY KEY (name, sequence)
            );
            """),
    ];
}
