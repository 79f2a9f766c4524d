using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SelfLearning.Cases;

namespace SelfLearning.Sqlite;

/// <summary>
/// The JSON documents of a stored case: its <see cref="CaseInput"/> and its attributes. Written and read with
/// System.Text.Json's <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/> directly rather than the
/// serializer, because a case may carry NaN or infinite numbers (the collector rejects such a case, so the store
/// must hand it back as it came), which are kept as the strings "NaN", "Infinity" and "-Infinity"; finite numbers
/// are written in their shortest round-trip form, so every double reads back bit for bit.
/// </summary>
internal sealed class CaseDocuments : IDisposable
{
    private const string Features = "f";
    private const string RawScore = "r";
    private const string ClassScores = "s";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Internal storage, never served to a browser: keep non-ASCII text as UTF-8 rather than \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public CaseDocuments() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    public void Dispose() => _writer.Dispose();

    /// <summary>Writes <paramref name="input"/> as <c>{"f":[…],"r":…,"s":{…}}</c>, leaving out absent parts.</summary>
    public string WriteInput(CaseInput input)
    {
        Reset();
        _writer.WriteStartObject();
        if (!input.Features.IsEmpty)
        {
            _writer.WriteStartArray(Features);
            foreach (double feature in input.Features)
            {
                WriteNumber(feature);
            }

            _writer.WriteEndArray();
        }

        if (input.RawScore is double raw)
        {
            _writer.WritePropertyName(RawScore);
            WriteNumber(raw);
        }

        if (!input.ClassScores.IsEmpty)
        {
            _writer.WriteStartObject(ClassScores);
            foreach (KeyValuePair<string, double> score in input.ClassScores)
            {
                _writer.WritePropertyName(score.Key);
                WriteNumber(score.Value);
            }

            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
        return Written();
    }

    /// <summary>Writes <paramref name="attributes"/> as a JSON object of strings.</summary>
    public string WriteAttributes(ImmutableSortedDictionary<string, string> attributes)
    {
        Reset();
        _writer.WriteStartObject();
        foreach (KeyValuePair<string, string> attribute in attributes)
        {
            _writer.WriteString(attribute.Key, attribute.Value);
        }

        _writer.WriteEndObject();
        return Written();
    }

    /// <summary>Reads what <see cref="WriteInput"/> wrote.</summary>
    public static CaseInput ReadInput(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        ImmutableArray<double> features = [];
        double? raw = null;
        ImmutableSortedDictionary<string, double> scores = ImmutableSortedDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals(Features))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                var builder = ImmutableArray.CreateBuilder<double>();
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    builder.Add(Number(ref reader));
                }

                features = builder.DrainToImmutable();
            }
            else if (reader.ValueTextEquals(RawScore))
            {
                Next(ref reader);
                raw = Number(ref reader);
            }
            else if (reader.ValueTextEquals(ClassScores))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                var builder = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
                while (Next(ref reader) != JsonTokenType.EndObject)
                {
                    string label = reader.GetString()!;
                    Next(ref reader);
                    builder[label] = Number(ref reader);
                }

                scores = builder.ToImmutable();
            }
            else
            {
                throw Corrupt($"an unknown input property '{reader.GetString()}'");
            }
        }

        return new CaseInput { Features = features, RawScore = raw, ClassScores = scores };
    }

    /// <summary>Reads what <see cref="WriteAttributes"/> wrote.</summary>
    public static ImmutableSortedDictionary<string, string> ReadAttributes(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        if (Next(ref reader) == JsonTokenType.EndObject)
        {
            return ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        do
        {
            string key = reader.GetString()!;
            Next(ref reader);
            builder[key] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Corrupt($"a non-string value of attribute '{key}'");
        }
        while (Next(ref reader) != JsonTokenType.EndObject);
        return builder.ToImmutable();
    }

    private void Reset()
    {
        _buffer.Clear();
        _writer.Reset(_buffer);
    }

    private string Written()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private void WriteNumber(double value)
    {
        if (double.IsFinite(value))
        {
            _writer.WriteNumberValue(value);
        }
        else
        {
            _writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static double Number(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"))
            {
                return double.NaN;
            }

            if (reader.ValueTextEquals("Infinity"))
            {
                return double.PositiveInfinity;
            }

            if (reader.ValueTextEquals("-Infinity"))
            {
                return double.NegativeInfinity;
            }
        }

        throw Corrupt($"a {reader.TokenType} where a number was expected");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw Corrupt("a document that ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (Next(ref reader) != expected)
        {
            throw Corrupt($"a {reader.TokenType} where a {expected} was expected");
        }
    }

    private static InvalidDataException Corrupt(string what) => new($"A stored feedback case holds {what}.");
}
