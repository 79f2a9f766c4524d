using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// Anonymised cases as JSON Lines: one JSON object per case, fields in a fixed order, doubles in
/// their shortest round-trip form (NaN and infinities as the strings "NaN", "Infinity", "-Infinity"),
/// object keys in ordinal order, lines ended by LF. The same bytes are the dataset's canonical
/// serialisation, so the version of a dataset is the SHA-256 of its JSON Lines export.
/// </summary>
internal static class CaseJsonLines
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Writes <paramref name="cases"/> to <paramref name="destination"/>, one line each, streamed.</summary>
    /// <param name="cases">The cases.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when every case is written.</returns>
    public static async Task WriteAsync(IEnumerable<AnonymizedCase> cases, Stream destination, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(cases);
        Guard.NotNull(destination);
        var buffer = new ArrayBufferWriter<byte>(4096);
        foreach (AnonymizedCase c in cases)
        {
            buffer.ResetWrittenCount();
            WriteLine(buffer, Guard.NotNull(c, nameof(cases)));
            await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads cases written by <see cref="WriteAsync"/>, streamed.</summary>
    /// <param name="source">Where to read; left open.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="InvalidDataException">A line is not a case; the message gives the line number.</exception>
    public static async IAsyncEnumerable<AnonymizedCase> ReadAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(source);
        using var reader = new StreamReader(source, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return ParseLine(line, lineNumber);
        }
    }

    /// <summary>Writes one case and its LF: the canonical serialisation of the case.</summary>
    internal static void WriteLine(IBufferWriter<byte> buffer, AnonymizedCase c)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        WriteLine(writer, buffer, c);
    }

    /// <summary>Creates a writer to pass to <see cref="WriteLine(Utf8JsonWriter, IBufferWriter{byte}, AnonymizedCase)"/> for many cases.</summary>
    internal static Utf8JsonWriter CreateLineWriter(IBufferWriter<byte> buffer) => new(buffer, WriterOptions);

    /// <summary>Writes one case and its LF with a reused writer (reset onto <paramref name="buffer"/>), byte for byte as a new writer would.</summary>
    internal static void WriteLine(Utf8JsonWriter writer, IBufferWriter<byte> buffer, AnonymizedCase c)
    {
        writer.Reset(buffer);
        {
            writer.WriteStartObject();
            writer.WriteString(Names.Id, c.Id);
            writer.WriteString(Names.Split, Names.SplitValue(c.Split));
            writer.WriteString(Names.ModelName, c.ModelName);
            writer.WriteString(Names.ModelVersion, c.ModelVersion);
            writer.WriteString(Names.PredictedLabel, c.PredictedLabel);
            WriteDouble(writer, Names.PredictedConfidence, c.PredictedConfidence);
            writer.WriteString(Names.Label, c.Label);
            writer.WriteString(Names.ReviewerId, c.ReviewerId);
            WriteDouble(writer, Names.ReviewerCertainty, c.ReviewerCertainty);
            writer.WriteNumber(Names.CreatedYear, c.CreatedYear);
            writer.WriteNumber(Names.ValidatedYear, c.ValidatedYear);
            WriteDouble(writer, Names.QualityScore, c.QualityScore);
            writer.WritePropertyName(Names.Features);
            WriteFeatures(writer, c.Input.Features);
            if (c.Input.RawScore is double raw)
            {
                WriteDouble(writer, Names.RawScore, raw);
            }
            else
            {
                writer.WriteNull(Names.RawScore);
            }

            writer.WritePropertyName(Names.ClassScores);
            WriteClassScores(writer, c.Input.ClassScores);
            writer.WriteString(Names.FreeText, c.FreeText);
            writer.WritePropertyName(Names.Attributes);
            WriteAttributes(writer, c.Attributes);
            writer.WriteEndObject();
            writer.Flush();
        }

        buffer.Write("\n"u8);
    }

    internal static void WriteFeatures(Utf8JsonWriter writer, ImmutableArray<double> features)
    {
        writer.WriteStartArray();
        foreach (double f in features)
        {
            WriteDoubleValue(writer, f);
        }

        writer.WriteEndArray();
    }

    internal static void WriteClassScores(Utf8JsonWriter writer, ImmutableSortedDictionary<string, double> scores)
    {
        writer.WriteStartObject();
        foreach (var (label, score) in scores)
        {
            writer.WritePropertyName(label);
            WriteDoubleValue(writer, score);
        }

        writer.WriteEndObject();
    }

    internal static void WriteAttributes(Utf8JsonWriter writer, ImmutableSortedDictionary<string, string> attributes)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in attributes)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    internal static string ToJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static ImmutableArray<double> ParseFeatures(JsonElement element) =>
        [.. element.EnumerateArray().Select(ReadDouble)];

    internal static ImmutableSortedDictionary<string, double> ParseClassScores(JsonElement element) =>
        element.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => ReadDouble(p.Value), StringComparer.Ordinal);

    internal static ImmutableSortedDictionary<string, string> ParseAttributes(JsonElement element) =>
        element.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);

    internal static double ReadDouble(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetDouble();

    private static AnonymizedCase ParseLine(string line, long lineNumber)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            JsonElement raw = root.GetProperty("rawScore");
            return new AnonymizedCase
            {
                Id = root.GetProperty("id").GetString()!,
                Split = Enum.Parse<DatasetSplit>(root.GetProperty("split").GetString()!),
                ModelName = root.GetProperty("modelName").GetString()!,
                ModelVersion = root.GetProperty("modelVersion").GetString()!,
                PredictedLabel = root.GetProperty("predictedLabel").GetString()!,
                PredictedConfidence = ReadDouble(root.GetProperty("predictedConfidence")),
                Label = root.GetProperty("label").GetString()!,
                ReviewerId = root.GetProperty("reviewerId").GetString(),
                ReviewerCertainty = ReadDouble(root.GetProperty("reviewerCertainty")),
                CreatedYear = root.GetProperty("createdYear").GetInt32(),
                ValidatedYear = root.GetProperty("validatedYear").GetInt32(),
                QualityScore = ReadDouble(root.GetProperty("qualityScore")),
                Input = new CaseInput
                {
                    Features = ParseFeatures(root.GetProperty("features")),
                    RawScore = raw.ValueKind == JsonValueKind.Null ? null : ReadDouble(raw),
                    ClassScores = ParseClassScores(root.GetProperty("classScores")),
                },
                FreeText = root.GetProperty("freeText").GetString(),
                Attributes = ParseAttributes(root.GetProperty("attributes")),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Line {lineNumber} is not an anonymised case: {e.Message}", e);
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        writer.WritePropertyName(name);
        WriteDoubleValue(writer, value);
    }

    private static void WriteDoubleValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The field names and split values, encoded once rather than on every line (a million lines per cycle).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Id = Encode("id");
        public static readonly JsonEncodedText Split = Encode("split");
        public static readonly JsonEncodedText ModelName = Encode("modelName");
        public static readonly JsonEncodedText ModelVersion = Encode("modelVersion");
        public static readonly JsonEncodedText PredictedLabel = Encode("predictedLabel");
        public static readonly JsonEncodedText PredictedConfidence = Encode("predictedConfidence");
        public static readonly JsonEncodedText Label = Encode("label");
        public static readonly JsonEncodedText ReviewerId = Encode("reviewerId");
        public static readonly JsonEncodedText ReviewerCertainty = Encode("reviewerCertainty");
        public static readonly JsonEncodedText CreatedYear = Encode("createdYear");
        public static readonly JsonEncodedText ValidatedYear = Encode("validatedYear");
        public static readonly JsonEncodedText QualityScore = Encode("qualityScore");
        public static readonly JsonEncodedText Features = Encode("features");
        public static readonly JsonEncodedText RawScore = Encode("rawScore");
        public static readonly JsonEncodedText ClassScores = Encode("classScores");
        public static readonly JsonEncodedText FreeText = Encode("freeText");
        public static readonly JsonEncodedText Attributes = Encode("attributes");
        private static readonly JsonEncodedText[] Splits = [.. Enum.GetValues<DatasetSplit>().Select(split => Encode(split.ToString()))];

        /// <summary>The split's name exactly as <see cref="Enum.ToString()"/> gives it.</summary>
        public static JsonEncodedText SplitValue(DatasetSplit split) =>
            (uint)split < (uint)Splits.Length ? Splits[(int)split] : Encode(split.ToString());

        private static JsonEncodedText Encode(string text) => JsonEncodedText.Encode(text, WriterOptions.Encoder);
    }
}
