namespace SelfLearning.Sqlite;

/// <summary>
/// The model registry's schema steps, in order. Append new steps; never change what a shipped step creates. Every name carries the
/// <c>selflearning_</c> prefix; a database written before the prefix is moved onto these names by <see cref="LegacySchema"/>.
/// </summary>
internal static class RegistryMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new("registry-0001-initial", """
            CREATE TABLE selflearning_registry_models (
                name TEXT NOT NULL PRIMARY KEY,
                revision INTEGER NOT NULL,
                version_count INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE selflearning_registry_versions (
                name TEXT NOT NULL REFERENCES selflearning_registry_models (name),
                version INTEGER NOT NULL,
                stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 4),
                metrics TEXT NOT NULL,
                parameters TEXT NOT NULL,
                tags TEXT NOT NULL,
                dataset_hash TEXT,
                trainer_type TEXT,
                parent_version INTEGER,
                training_job_id TEXT,
                artifact_sha256 TEXT NOT NULL,
                artifact_size INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                evaluation_report TEXT,
                PRIMARY KEY (name, version)
            ) STRICT;

            -- The one-champion rule, enforced by the database itself as well as by the code.
            CREATE UNIQUE INDEX selflearning_registry_one_champion ON selflearning_registry_versions (name) WHERE stage = 2;

            CREATE TABLE selflearning_registry_artifacts (
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                content BLOB NOT NULL,
                PRIMARY KEY (name, version),
                FOREIGN KEY (name, version) REFERENCES selflearning_registry_versions (name, version)
            ) STRICT;

            CREATE TABLE selflearning_registry_aliases (
                name TEXT NOT NULL,
                alias TEXT NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (name, alias),
                FOREIGN KEY (name, version) REFERENCES selflearning_registry_versions (name, version)
            ) STRICT;

            CREATE TABLE selflearning_registry_transitions (
                name TEXT NOT NULL REFERENCES selflearning_registry_models (name),
                sequence INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                version INTEGER NOT NULL,
                from_stage INTEGER,
                to_stage INTEGER NOT NULL,
                operation INTEGER NOT NULL,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT,
                PRIMARY KEY (name, sequence),
                FOREIGN KEY (name, version) REFERENCES selflearning_registry_versions (name, version)
            ) STRICT;
            """),
        new("registry-0002-typed-lineage", """
            -- The loop's state per version, typed (earlier releases kept it in tags and a metric; those stay readable).
            ALTER TABLE selflearning_registry_versions ADD COLUMN training_watermark TEXT;
            ALTER TABLE selflearning_registry_versions ADD COLUMN holdout_size INTEGER;
            ALTER TABLE selflearning_registry_versions ADD COLUMN reference_scores TEXT;
            """),
    ];
}
