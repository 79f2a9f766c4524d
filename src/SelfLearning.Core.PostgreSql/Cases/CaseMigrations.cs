namespace SelfLearning.PostgreSql;

/// <summary>The case store's schema steps, in order. Append new steps; never change what a shipped step creates.</summary>
internal static class CaseMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new("cases-0001-initial", $"""
            -- One row per review, as in the SQLite store: a case reviewed again is a new row (the collector picks the
            -- latest itself); the same review sent again (same id, validation instant and reviewer) replaces its row.
            CREATE TABLE {PostgreSqlDatabase.Schema}.feedback_cases (
                -- The watermark key: ValidatedAt in UTC ticks (CreatedAt's when there is none), then the id as its UTF-16
                -- code units, big-endian, so bytea's byte-wise order is .NET's ordinal order (text collations are not,
                -- and text cannot hold U+0000 or an unpaired surrogate, which an id may). The id is read back from it.
                watermark_at bigint NOT NULL,
                id_key bytea NOT NULL,
                reviewer_key bytea NOT NULL,
                model_name text,
                model_version text,
                -- CaseInput: float8 keeps every double's bits, NaN, infinities and negative zero included.
                features float8[],
                raw_score float8,
                class_labels text[],
                class_scores float8[],
                predicted_label text,
                predicted_confidence float8 NOT NULL,
                validated_label text,
                status integer NOT NULL,
                reviewer_id text,
                reviewer_certainty float8 NOT NULL,
                -- Times in UTC ticks with the offset they were given in (minutes), so they read back unchanged.
                created_at bigint NOT NULL,
                created_offset integer NOT NULL,
                validated_at bigint,
                validated_offset integer,
                free_text text,
                attribute_keys text[] NOT NULL,
                attribute_values text[] NOT NULL,
                PRIMARY KEY (watermark_at, id_key, reviewer_key)
            );

            -- Finds the reviews of one case, so an appended case (IFeedbackCaseWriter.AppendAsync) is stored only once.
            CREATE INDEX feedback_cases_id ON {PostgreSqlDatabase.Schema}.feedback_cases (id_key);
            """),
    ];
}
