using System.Text.Json;
using System.Text.Json.Serialization;

namespace SelfLearning.Experiments;

/// <summary>
/// JSON for the parts of an experiment a database storage keeps as documents (SQLite, PostgreSQL): its definition, a
/// decision's reasons and analysis. System.Text.Json handles the records through their constructors; <see cref="ExperimentMetric"/> (built by
/// factories) has a converter, and unbounded intervals are written as "Infinity"/"-Infinity".
/// </summary>
internal static class ExperimentJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new MetricConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"The stored document is null where a {typeof(T).Name} was expected.");

    private sealed class MetricConverter : JsonConverter<ExperimentMetric>
    {
        public override ExperimentMetric Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? name = null;
            MetricKind kind = MetricKind.SuccessRate;
            bool higherIsBetter = true;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A metric must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string property = reader.GetString() ?? string.Empty;
                reader.Read();
                switch (property)
                {
                    case nameof(ExperimentMetric.Name):
                        name = reader.GetString();
                        break;
                    case nameof(ExperimentMetric.Kind):
                        kind = (MetricKind)reader.GetInt32();
                        break;
                    case nameof(ExperimentMetric.HigherIsBetter):
                        higherIsBetter = reader.GetBoolean();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return kind switch
            {
                MetricKind.SuccessRate => ExperimentMetric.SuccessRate(name ?? throw new JsonException("A metric has no name."), higherIsBetter),
                MetricKind.Continuous => ExperimentMetric.Continuous(name ?? throw new JsonException("A metric has no name."), higherIsBetter),
                _ => throw new JsonException($"Unknown metric kind {(int)kind}."),
            };
        }

        public override void Write(Utf8JsonWriter writer, ExperimentMetric value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString(nameof(ExperimentMetric.Name), value.Name);
            writer.WriteNumber(nameof(ExperimentMetric.Kind), (int)value.Kind);
            writer.WriteBoolean(nameof(ExperimentMetric.HigherIsBetter), value.HigherIsBetter);
            writer.WriteEndObject();
        }
    }
}
