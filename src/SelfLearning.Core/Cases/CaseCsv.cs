using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// Anonymised cases as CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a
/// comma, a quote, CR or LF (quotes doubled). Features, class scores and attributes are JSON in their
/// cells. An absent value is an empty field; an empty string is a quoted empty field (<c>""</c>), so
/// the reader returns exactly what was written.
/// </summary>
/// <remarks>Hand-written: no CSV library is among this project's dependencies, and the format is small.</remarks>
internal static class CaseCsv
{
    /// <summary>Gets the column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "id", "split", "model_name", "model_version", "predicted_label", "predicted_confidence", "label", "reviewer_id",
        "reviewer_certainty", "created_year", "validated_year", "quality_score", "features", "raw_score", "class_scores",
        "free_text", "attributes",
    ];

    /// <summary>Writes <paramref name="cases"/> to <paramref name="destination"/> as UTF-8 CSV, streamed.</summary>
    /// <param name="cases">The cases.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when every case is written.</returns>
    public static async Task WriteAsync(IEnumerable<AnonymizedCase> cases, Stream destination, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(cases);
        Guard.NotNull(destination);
        var writer = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await using (writer.ConfigureAwait(false))
        {
            var line = new StringBuilder(512);
            AppendRecord(line, Columns);
            await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            foreach (AnonymizedCase c in cases)
            {
                line.Clear();
                AppendRecord(line, Fields(Guard.NotNull(c, nameof(cases))));
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads cases written by <see cref="WriteAsync"/>, streamed.</summary>
    /// <param name="source">Where to read; left open.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="InvalidDataException">The header is not <see cref="Columns"/>, or a record is malformed; the message gives the record number.</exception>
    public static async IAsyncEnumerable<AnonymizedCase> ReadAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(source);
        using var reader = new StreamReader(source, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        long record = 0;
        await foreach (IReadOnlyList<string?> fields in CsvRecordReader.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            record++;
            if (record == 1)
            {
                if (!fields.SequenceEqual(Columns))
                {
                    throw new InvalidDataException($"Record 1 is not the header '{string.Join(",", Columns)}'.");
                }

                continue;
            }

            yield return Parse(fields, record);
        }
    }

    private static string?[] Fields(AnonymizedCase c)
    {
        var invariant = CultureInfo.InvariantCulture;
        return
        [
            c.Id,
            c.Split.ToString(),
            c.ModelName,
            c.ModelVersion,
            c.PredictedLabel,
            c.PredictedConfidence.ToString("R", invariant),
            c.Label,
            c.ReviewerId,
            c.ReviewerCertainty.ToString("R", invariant),
            c.CreatedYear.ToString(invariant),
            c.ValidatedYear.ToString(invariant),
            c.QualityScore.ToString("R", invariant),
            CaseJsonLines.ToJson(w => CaseJsonLines.WriteFeatures(w, c.Input.Features)),
            c.Input.RawScore?.ToString("R", invariant),
            CaseJsonLines.ToJson(w => CaseJsonLines.WriteClassScores(w, c.Input.ClassScores)),
            c.FreeText,
            CaseJsonLines.ToJson(w => CaseJsonLines.WriteAttributes(w, c.Attributes)),
        ];
    }

    private static void AppendRecord(StringBuilder line, IReadOnlyList<string?> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            string? field = fields[i];
            if (field is null)
            {
                continue;
            }

            if (field.Length == 0 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(field);
            }
        }

        line.Append("\r\n");
    }

    private static AnonymizedCase Parse(IReadOnlyList<string?> f, long record)
    {
        if (f.Count != Columns.Count)
        {
            throw new InvalidDataException($"Record {record} has {f.Count} fields; {Columns.Count} are expected.");
        }

        try
        {
            var invariant = CultureInfo.InvariantCulture;
            using JsonDocument features = JsonDocument.Parse(Required(f[12]));
            using JsonDocument classScores = JsonDocument.Parse(Required(f[14]));
            using JsonDocument attributes = JsonDocument.Parse(Required(f[16]));
            return new AnonymizedCase
            {
                Id = Required(f[0]),
                Split = Enum.Parse<DatasetSplit>(Required(f[1])),
                ModelName = Required(f[2]),
                ModelVersion = Required(f[3]),
                PredictedLabel = Required(f[4]),
                PredictedConfidence = double.Parse(Required(f[5]), NumberStyles.Float, invariant),
                Label = Required(f[6]),
                ReviewerId = f[7],
                ReviewerCertainty = double.Parse(Required(f[8]), NumberStyles.Float, invariant),
                CreatedYear = int.Parse(Required(f[9]), NumberStyles.Integer, invariant),
                ValidatedYear = int.Parse(Required(f[10]), NumberStyles.Integer, invariant),
                QualityScore = double.Parse(Required(f[11]), NumberStyles.Float, invariant),
                Input = new CaseInput
                {
                    Features = CaseJsonLines.ParseFeatures(features.RootElement),
                    RawScore = f[13] is { } raw ? double.Parse(raw, NumberStyles.Float, invariant) : null,
                    ClassScores = CaseJsonLines.ParseClassScores(classScores.RootElement),
                },
                FreeText = f[15],
                Attributes = CaseJsonLines.ParseAttributes(attributes.RootElement),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException($"Record {record} is not an anonymised case: {e.Message}", e);
        }
    }

    private static string Required(string? field) => field ?? throw new FormatException("A required field is empty.");
}
