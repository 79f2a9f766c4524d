using System.Buffers.Binary;
using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using SelfLearning.Cases;

namespace SelfLearning.PostgreSql;

/// <summary>How a <see cref="FeedbackCase"/> maps to a row of <c>selflearning.feedback_cases</c> and back (see <see cref="CaseMigrations"/>).</summary>
internal static class CaseRows
{
    private const string Table = PostgreSqlDatabase.Schema + ".feedback_cases";

    /// <summary>The columns every read selects, in the order <see cref="Read"/> expects.</summary>
    private const string Columns = """
        id_key, model_name, model_version, features, raw_score, class_labels, class_scores, predicted_label, predicted_confidence,
        validated_label, status, reviewer_id, reviewer_certainty, created_at, created_offset, validated_at, validated_offset,
        free_text, attribute_keys, attribute_values
        """;

    /// <summary>The cases after a watermark (<c>$1</c>, <c>$2</c>), in watermark order; a keyset scan of the primary key.</summary>
    public const string SelectAfter = $"""
        SELECT {Columns} FROM {Table}
        WHERE (watermark_at, id_key) > ($1, $2)
        ORDER BY watermark_at, id_key, reviewer_key;
        """;

    /// <summary>How many cases <see cref="SelectAfter"/> returns.</summary>
    public const string CountAfter = $"SELECT count(*) FROM {Table} WHERE (watermark_at, id_key) > ($1, $2);";

    /// <summary>Stores a review, replacing the row of the same review (same id, validation instant and reviewer).</summary>
    public const string Upsert = $"""
        INSERT INTO {Table} (
            watermark_at, id_key, reviewer_key, model_name, model_version, features, raw_score, class_labels, class_scores,
            predicted_label, predicted_confidence, validated_label, status, reviewer_id, reviewer_certainty, created_at,
            created_offset, validated_at, validated_offset, free_text, attribute_keys, attribute_values)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
        ON CONFLICT (watermark_at, id_key, reviewer_key) DO UPDATE SET
            model_name = excluded.model_name, model_version = excluded.model_version, features = excluded.features,
            raw_score = excluded.raw_score, class_labels = excluded.class_labels, class_scores = excluded.class_scores,
            predicted_label = excluded.predicted_label, predicted_confidence = excluded.predicted_confidence,
            validated_label = excluded.validated_label, status = excluded.status, reviewer_id = excluded.reviewer_id,
            reviewer_certainty = excluded.reviewer_certainty, created_at = excluded.created_at, created_offset = excluded.created_offset,
            validated_at = excluded.validated_at, validated_offset = excluded.validated_offset, free_text = excluded.free_text,
            attribute_keys = excluded.attribute_keys, attribute_values = excluded.attribute_values;
        """;

    /// <summary>
    /// Takes a transaction-scoped advisory lock on one case id (<c>$1</c>, the id key's hash), so two appends of the
    /// same id from any instances are serialised and the second sees the first's row.
    /// </summary>
    public const string LockId = "SELECT pg_advisory_xact_lock(hashtextextended(encode($1, 'hex'), 0));";

    /// <summary>Whether any review of the case <c>$1</c> (its <see cref="OrdinalKeys.From"/>) is held.</summary>
    public const string Exists = $"SELECT EXISTS (SELECT 1 FROM {Table} WHERE id_key = $1);";

    /// <summary>The watermark as the two parameters of <see cref="SelectAfter"/> and <see cref="CountAfter"/>.</summary>
    public static void AddWatermark(NpgsqlCommand command, CaseWatermark after)
    {
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.ValidatedAt.UtcTicks });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = OrdinalKeys.From(after.CaseId) });
    }

    /// <summary>
    /// Adds the parameters of <paramref name="feedbackCase"/> (its id already checked) to an <see cref="Upsert"/>
    /// command. PostgreSQL text cannot hold U+0000: a case whose text does is refused, naming the field and the index.
    /// </summary>
    public static void Bind(NpgsqlBatchCommand command, FeedbackCase feedbackCase, string argument, int index)
    {
        DateTimeOffset watermarkAt = feedbackCase.ValidatedAt ?? feedbackCase.CreatedAt;
        CaseInput input = feedbackCase.Input ?? CaseInput.Empty;
        NpgsqlParameterCollection p = command.Parameters;
        p.Add(Value(watermarkAt.UtcTicks));
        p.Add(Value(OrdinalKeys.From(feedbackCase.Id)));
        p.Add(Value(OrdinalKeys.From(feedbackCase.ReviewerId ?? string.Empty)));
        p.Add(Text(feedbackCase.ModelName, nameof(FeedbackCase.ModelName), argument, index));
        p.Add(Text(feedbackCase.ModelVersion, nameof(FeedbackCase.ModelVersion), argument, index));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double, Value = input.Features.IsDefaultOrEmpty ? DBNull.Value : input.Features.ToArray() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = input.RawScore is double raw ? raw : DBNull.Value });
        p.Add(TextArray(input.ClassScores.IsEmpty ? null : input.ClassScores.Keys, "Input.ClassScores", argument, index));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double, Value = input.ClassScores.IsEmpty ? DBNull.Value : input.ClassScores.Values.ToArray() });
        p.Add(Text(feedbackCase.PredictedLabel, nameof(FeedbackCase.PredictedLabel), argument, index));
        p.Add(Value(feedbackCase.PredictedConfidence));
        p.Add(Text(feedbackCase.ValidatedLabel, nameof(FeedbackCase.ValidatedLabel), argument, index));
        p.Add(Value((int)feedbackCase.Status));
        p.Add(Text(feedbackCase.ReviewerId, nameof(FeedbackCase.ReviewerId), argument, index));
        p.Add(Value(feedbackCase.ReviewerCertainty));
        p.Add(Value(feedbackCase.CreatedAt.UtcTicks));
        p.Add(Value(OffsetMinutes(feedbackCase.CreatedAt)));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = feedbackCase.ValidatedAt is { } validatedAt ? validatedAt.UtcTicks : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = feedbackCase.ValidatedAt is { } validated ? OffsetMinutes(validated) : DBNull.Value });
        p.Add(Text(feedbackCase.FreeText, nameof(FeedbackCase.FreeText), argument, index));
        ImmutableSortedDictionary<string, string> attributes = feedbackCase.Attributes ?? ImmutableSortedDictionary<string, string>.Empty;
        p.Add(TextArray(attributes.Keys, nameof(FeedbackCase.Attributes), argument, index));
        p.Add(TextArray(attributes.Values, nameof(FeedbackCase.Attributes), argument, index));
    }

    /// <summary>Reads the current row of a reader over <see cref="SelectAfter"/>.</summary>
    public static FeedbackCase Read(NpgsqlDataReader reader) => new()
    {
        Id = OrdinalKeys.ToText(reader.GetFieldValue<byte[]>(0)),

        // A host may hand over a case without a model name or version; it reads back as it came, for the collector to reject.
        ModelName = NullableString(reader, 1)!,
        ModelVersion = NullableString(reader, 2)!,
        Input = new CaseInput
        {
            Features = reader.IsDBNull(3) ? [] : ImmutableArray.Create(reader.GetFieldValue<double[]>(3)),
            RawScore = reader.IsDBNull(4) ? null : reader.GetDouble(4),
            ClassScores = reader.IsDBNull(5)
                ? ImmutableSortedDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal)
                : Zip(reader.GetFieldValue<string[]>(5), reader.GetFieldValue<double[]>(6)),
        },
        PredictedLabel = NullableString(reader, 7),
        PredictedConfidence = reader.GetDouble(8),
        ValidatedLabel = NullableString(reader, 9),
        Status = (ValidationStatus)reader.GetInt32(10),
        ReviewerId = NullableString(reader, 11),
        ReviewerCertainty = reader.GetDouble(12),
        CreatedAt = Time(reader.GetInt64(13), reader.GetInt32(14)),
        ValidatedAt = reader.IsDBNull(15) ? null : Time(reader.GetInt64(15), reader.GetInt32(16)),
        FreeText = NullableString(reader, 17),
        Attributes = Zip(reader.GetFieldValue<string[]>(18), reader.GetFieldValue<string[]>(19)),
    };

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter Text(string? value, string field, string argument, int index) => new()
    {
        NpgsqlDbType = NpgsqlDbType.Text,
        Value = CheckText(value, field, argument, index) is { } text ? text : DBNull.Value,
    };

    private static NpgsqlParameter TextArray(IEnumerable<string?>? values, string field, string argument, int index)
    {
        string?[]? array = values?.Select(v => CheckText(v, field, argument, index)).ToArray();
        return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = array is null ? DBNull.Value : array };
    }

    private static string? CheckText(string? value, string field, string argument, int index)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The case at index {index} of '{argument}' has U+0000 in its {field}, which PostgreSQL text cannot store; nothing was stored.",
                argument);
        }

        return value;
    }

    private static ImmutableSortedDictionary<string, TValue> Zip<TValue>(string[] keys, TValue[] values)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TValue>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Length; i++)
        {
            builder[keys[i]] = values[i];
        }

        return builder.ToImmutable();
    }

    private static int OffsetMinutes(DateTimeOffset time) => (int)(time.Offset.Ticks / TimeSpan.TicksPerMinute);

    private static DateTimeOffset Time(long utcTicks, int offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
