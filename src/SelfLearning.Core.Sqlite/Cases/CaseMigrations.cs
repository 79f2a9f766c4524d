namespace SelfLearning.Sqlite;

/// <summary>
/// The case store's schema steps, in order. Append new steps; never change what a shipped step creates. Every name carries the
/// <c>selflearning_</c> prefix; a database written before the prefix is moved onto these names by <see cref="LegacySchema"/>.
/// </summary>
internal static class CaseMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new("cases-0001-initial", """
            -- One row per review: a case reviewed again is a new row, so the collector sees every review
            -- and picks the latest itself. Sending the same review again (same case id, same validation
            -- instant, same reviewer) replaces its row.
            CREATE TABLE selflearning_feedback_cases (
                -- The watermark key. watermark_at is ValidatedAt in UTC ticks, or CreatedAt's when the case has
                -- no validation time (as InMemoryCaseSource orders it). id_key is the id's UTF-16 code units,
                -- big-endian, so SQLite's byte-wise BLOB comparison is .NET's ordinal string comparison
                -- (the BINARY collation on TEXT compares UTF-8 bytes, which orders some characters differently).
                watermark_at INTEGER NOT NULL,
                id_key BLOB NOT NULL,
                reviewer_key TEXT NOT NULL,
                id TEXT NOT NULL,
                model_name TEXT,
                model_version TEXT,
                -- CaseInput as JSON: {"f":[features],"r":raw score,"s":{"label":score}}; non-finite numbers as "NaN"/"Infinity"/"-Infinity".
                input TEXT NOT NULL,
                predicted_label TEXT,
                -- REAL keeps a double's 64 bits exactly; SQLite stores NaN as NULL, so NULL here reads back as NaN.
                predicted_confidence REAL,
                validated_label TEXT,
                status INTEGER NOT NULL,
                reviewer_id TEXT,
                reviewer_certainty REAL,
                -- Times in UTC ticks, with the offset they were given in (minutes) so they read back unchanged.
                created_at INTEGER NOT NULL,
                created_offset INTEGER NOT NULL,
                validated_at INTEGER,
                validated_offset INTEGER,
                free_text TEXT,
                -- Attributes as a JSON object of strings.
                attributes TEXT NOT NULL
            ) STRICT;

            -- Serves the keyset reads (WHERE (watermark_at, id_key) > (…) ORDER BY watermark_at, id_key, reviewer_key)
            -- and the counts, and makes a review's key unique.
            CREATE UNIQUE INDEX selflearning_feedback_cases_watermark ON selflearning_feedback_cases (watermark_at, id_key, reviewer_key);
            """),
        new("cases-0002-id-index", """
            -- Finds the reviews of one case by its id, so an appended case (IFeedbackCaseWriter.AppendAsync: a recorded
            -- outcome, at least once) is stored only when no review of its id is held yet.
            CREATE INDEX selflearning_feedback_cases_id ON selflearning_feedback_cases (id_key);
            """),
    ];
}
