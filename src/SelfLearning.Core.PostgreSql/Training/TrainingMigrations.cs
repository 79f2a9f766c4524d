namespace SelfLearning.PostgreSql;

/// <summary>The training job store's schema steps, in order. Append new steps; never change what a shipped step creates.</summary>
internal static class TrainingMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new("training-0001-initial", $"""
            CREATE TABLE {PostgreSqlDatabase.Schema}.training_jobs (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                model_key text NOT NULL,
                model_type text NOT NULL,
                priority integer NOT NULL,
                version bigint NOT NULL CHECK (version >= 1),
                state integer NOT NULL CHECK (state BETWEEN 0 AND 5),
                trigger_kind integer NOT NULL,
                parameters text NOT NULL,
                seed integer NOT NULL,
                tune boolean NOT NULL,
                -- Times in UTC ticks, as the other stores keep them.
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                started_at bigint,
                finished_at bigint,
                not_before bigint,
                attempts integer NOT NULL CHECK (attempts >= 0),
                failure_reason text,
                progress text,
                metrics text NOT NULL,
                parameters_used text,
                wall_time bigint,
                cpu_time bigint,
                allocated_bytes bigint,
                artifact_format text,
                artifact bytea,
                lease_owner text,
                lease_expires_at bigint
            );
            CREATE INDEX training_jobs_by_model ON {PostgreSqlDatabase.Schema}.training_jobs (model_key, sequence);
            CREATE INDEX training_jobs_by_state ON {PostgreSqlDatabase.Schema}.training_jobs (state, sequence);

            -- Optimistic concurrency, enforced by the database as well as by the store: every write moves the version on
            -- by exactly one, and a finished job never changes state again.
            CREATE FUNCTION {PostgreSqlDatabase.Schema}.training_jobs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.version <> OLD.version + 1 THEN
                    RAISE EXCEPTION 'training job version must increase by one per write';
                END IF;
                IF OLD.state IN (3, 4, 5) AND NEW.state <> OLD.state THEN
                    RAISE EXCEPTION 'a completed, failed or cancelled training job cannot change state';
                END IF;
                RETURN NEW;
            END;
            $$;
            CREATE TRIGGER training_jobs_guard BEFORE UPDATE ON {PostgreSqlDatabase.Schema}.training_jobs
                FOR EACH ROW EXECUTE FUNCTION {PostgreSqlDatabase.Schema}.training_jobs_guard();

            CREATE TABLE {PostgreSqlDatabase.Schema}.training_job_transitions (
                job_id text NOT NULL REFERENCES {PostgreSqlDatabase.Schema}.training_jobs (id),
                ordinal integer NOT NULL,
                from_state integer NOT NULL,
                to_state integer NOT NULL,
                at bigint NOT NULL,
                reason text,
                PRIMARY KEY (job_id, ordinal)
            );
            """),
    ];
}
