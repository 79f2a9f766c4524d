using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using SelfLearning.Cases;

namespace SelfLearning.Sqlite;

/// <summary>How a <see cref="FeedbackCase"/> maps to a row of <c>selflearning_feedback_cases</c> and back (see <see cref="CaseMigrations"/>).</summary>
internal static class CaseRows
{
    /// <summary>The columns every read selects, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = """
        id, model_name, model_version, input, predicted_label, predicted_confidence, validated_label, status,
        reviewer_id, reviewer_certainty, created_at, created_offset, validated_at, validated_offset, free_text, attributes
        """;

    /// <summary>The cases after a watermark, in watermark order; a keyset scan of <c>selflearning_feedback_cases_watermark</c>.</summary>
    public const string SelectAfter = $"""
        SELECT {Columns} FROM selflearning_feedback_cases
        WHERE (watermark_at, id_key) > ($at, $key)
        ORDER BY watermark_at, id_key, reviewer_key;
        """;

    /// <summary>How many cases <see cref="SelectAfter"/> returns.</summary>
    public const string CountAfter = "SELECT count(*) FROM selflearning_feedback_cases WHERE (watermark_at, id_key) > ($at, $key);";

    /// <summary>Whether any review of the case <c>$key</c> (its <see cref="OrdinalKeys.From"/>) is held; served by <c>selflearning_feedback_cases_id</c>.</summary>
    public const string Exists = "SELECT EXISTS (SELECT 1 FROM selflearning_feedback_cases WHERE id_key = $key);";

    /// <summary>Stores a review, replacing the row of the same review (same id, validation instant and reviewer).</summary>
    public const string Upsert = """
        INSERT INTO selflearning_feedback_cases (
            watermark_at, id_key, reviewer_key, id, model_name, model_version, input, predicted_label, predicted_confidence,
            validated_label, status, reviewer_id, reviewer_certainty, created_at, created_offset, validated_at, validated_offset,
            free_text, attributes)
        VALUES (
            $at, $key, $reviewerKey, $id, $modelName, $modelVersion, $input, $predictedLabel, $predictedConfidence,
            $validatedLabel, $status, $reviewerId, $reviewerCertainty, $createdAt, $createdOffset, $validatedAt, $validatedOffset,
            $freeText, $attributes)
        ON CONFLICT (watermark_at, id_key, reviewer_key) DO UPDATE SET
            id = excluded.id, model_name = excluded.model_name, model_version = excluded.model_version, input = excluded.input,
            predicted_label = excluded.predicted_label, predicted_confidence = excluded.predicted_confidence,
            validated_label = excluded.validated_label, status = excluded.status, reviewer_id = excluded.reviewer_id,
            reviewer_certainty = excluded.reviewer_certainty, created_at = excluded.created_at, created_offset = excluded.created_offset,
            validated_at = excluded.validated_at, validated_offset = excluded.validated_offset, free_text = excluded.free_text,
            attributes = excluded.attributes;
        """;

    private static readonly string[] UpsertParameters =
    [
        "$at", "$key", "$reviewerKey", "$id", "$modelName", "$modelVersion", "$input", "$predictedLabel", "$predictedConfidence",
        "$validatedLabel", "$status", "$reviewerId", "$reviewerCertainty", "$createdAt", "$createdOffset", "$validatedAt", "$validatedOffset",
        "$freeText", "$attributes",
    ];

    /// <summary>The watermark as the parameters <c>$at</c> and <c>$key</c> of <see cref="SelectAfter"/> and <see cref="CountAfter"/>.</summary>
    public static (string Name, object? Value)[] WatermarkParameters(CaseWatermark after) =>
        [("$at", after.ValidatedAt.UtcTicks), ("$key", OrdinalKeys.From(after.CaseId))];

    /// <summary>An <see cref="Upsert"/> command with its parameters declared, to be bound per case by <see cref="Bind"/>.</summary>
    public static SqliteCommand UpsertCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteCommand command = SqliteDatabase.Command(connection, transaction, Upsert);
        foreach (string name in UpsertParameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <summary>Binds <paramref name="feedbackCase"/> (its id already checked) to a command from <see cref="UpsertCommand"/>.</summary>
    public static void Bind(SqliteCommand command, FeedbackCase feedbackCase, CaseDocuments documents)
    {
        DateTimeOffset watermarkAt = feedbackCase.ValidatedAt ?? feedbackCase.CreatedAt;
        SqliteParameterCollection p = command.Parameters;
        p[0].Value = watermarkAt.UtcTicks;
        p[1].Value = OrdinalKeys.From(feedbackCase.Id);
        p[2].Value = feedbackCase.ReviewerId ?? string.Empty;
        p[3].Value = feedbackCase.Id;
        p[4].Value = OrNull(feedbackCase.ModelName);
        p[5].Value = OrNull(feedbackCase.ModelVersion);
        p[6].Value = documents.WriteInput(feedbackCase.Input);
        p[7].Value = OrNull(feedbackCase.PredictedLabel);
        p[8].Value = NumberOrNull(feedbackCase.PredictedConfidence);
        p[9].Value = OrNull(feedbackCase.ValidatedLabel);
        p[10].Value = (long)feedbackCase.Status;
        p[11].Value = OrNull(feedbackCase.ReviewerId);
        p[12].Value = NumberOrNull(feedbackCase.ReviewerCertainty);
        p[13].Value = feedbackCase.CreatedAt.UtcTicks;
        p[14].Value = OffsetMinutes(feedbackCase.CreatedAt);
        p[15].Value = feedbackCase.ValidatedAt is { } validatedAt ? validatedAt.UtcTicks : DBNull.Value;
        p[16].Value = feedbackCase.ValidatedAt is { } validated ? OffsetMinutes(validated) : DBNull.Value;
        p[17].Value = OrNull(feedbackCase.FreeText);
        p[18].Value = documents.WriteAttributes(feedbackCase.Attributes);
    }

    /// <summary>Reads the current row of a reader over <see cref="Columns"/>.</summary>
    public static FeedbackCase Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),

        // A host may hand over a case without a model name or version; it reads back as it came, for the collector to reject.
        ModelName = NullableString(reader, 1)!,
        ModelVersion = NullableString(reader, 2)!,
        Input = CaseDocuments.ReadInput(reader.GetFieldValue<byte[]>(3)),
        PredictedLabel = NullableString(reader, 4),
        PredictedConfidence = reader.IsDBNull(5) ? double.NaN : reader.GetDouble(5),
        ValidatedLabel = NullableString(reader, 6),
        Status = (ValidationStatus)reader.GetInt64(7),
        ReviewerId = NullableString(reader, 8),
        ReviewerCertainty = reader.IsDBNull(9) ? double.NaN : reader.GetDouble(9),
        CreatedAt = Time(reader.GetInt64(10), reader.GetInt64(11)),
        ValidatedAt = reader.IsDBNull(12) ? null : Time(reader.GetInt64(12), reader.GetInt64(13)),
        FreeText = NullableString(reader, 14),
        Attributes = CaseDocuments.ReadAttributes(reader.GetFieldValue<byte[]>(15)),
    };

    private static object OrNull(string? value) => value is null ? DBNull.Value : value;

    // SQLite turns a bound NaN into NULL anyway; say so here, and Read turns NULL back into NaN.
    private static object NumberOrNull(double value) => double.IsNaN(value) ? DBNull.Value : value;

    private static long OffsetMinutes(DateTimeOffset time) => time.Offset.Ticks / TimeSpan.TicksPerMinute;

    private static DateTimeOffset Time(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
