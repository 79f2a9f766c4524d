using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SelfLearning.Calibration;

/// <summary>
/// Writes any calibrator of this library to a versioned JSON artifact and reads it back; the
/// restored calibrator gives bit-identical outputs (doubles are written in their shortest
/// round-trip form). The artifact looks like
/// <c>{"format":"selflearning.calibrator","version":1,"method":"platt","a":-1.5,"b":0.3,...}</c>.
/// </summary>
public static class CalibratorSerializer
{
    /// <summary>The value of the artifact's <c>format</c> field.</summary>
    public const string Format = "selflearning.calibrator";

    /// <summary>The artifact version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The name of <see cref="Deserialize"/>'s parameter, which every artifact error names.</summary>
    private static readonly string JsonParameter = "json";

    /// <summary>Serialises a calibrator to its JSON artifact.</summary>
    /// <param name="calibrator">A calibrator created by this library.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calibrator"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="calibrator"/> is not one of this library's calibrators.</exception>
    public static string Serialize(ICalibrator calibrator)
    {
        ArgumentNullException.ThrowIfNull(calibrator);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("version", Version);
            switch (calibrator)
            {
                case PlattCalibrator platt:
                    writer.WriteString("method", "platt");
                    writer.WriteNumber("a", platt.A);
                    writer.WriteNumber("b", platt.B);
                    WriteReport(writer, platt.Report);
                    break;
                case IsotonicCalibrator isotonic:
                    writer.WriteString("method", "isotonic");
                    WriteArray(writer, "thresholds", isotonic.Thresholds);
                    WriteArray(writer, "values", isotonic.Values);
                    break;
                case TemperatureScaling temperature:
                    writer.WriteString("method", "temperature");
                    writer.WriteNumber("temperature", temperature.Temperature);
                    writer.WriteBoolean("atBound", temperature.AtBound);
                    WriteReport(writer, temperature.Report);
                    break;
                case HistogramBinningCalibrator histogram:
                    writer.WriteString("method", "histogram");
                    WriteArray(writer, "values", histogram.Values);
                    writer.WriteStartArray("counts");
                    foreach (long count in histogram.Counts)
                    {
                        writer.WriteNumberValue(count);
                    }

                    writer.WriteEndArray();
                    break;
                case BetaCalibrator beta:
                    writer.WriteString("method", "beta");
                    writer.WriteNumber("a", beta.A);
                    writer.WriteNumber("b", beta.B);
                    writer.WriteNumber("c", beta.C);
                    WriteReport(writer, beta.Report);
                    break;
                default:
                    throw new ArgumentException(
                        $"'{nameof(calibrator)}' is a {calibrator.GetType().FullName}; only this library's calibrators can be serialised.",
                        nameof(calibrator));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a calibrator back from its JSON artifact.</summary>
    /// <param name="json">The JSON text written by <see cref="Serialize"/>.</param>
    /// <returns>The calibrator, giving the same outputs as the one serialised.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The text is not JSON, is not a calibrator artifact, has an unsupported version or unknown method,
    /// or holds a missing or invalid parameter (the message names it).
    /// </exception>
    public static ICalibrator Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"'{nameof(json)}' is not valid JSON: {e.Message}", nameof(json), e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("the artifact must be a JSON object");
            }

            string format = String(root, "format");
            if (format != Format)
            {
                throw Invalid($"'format' is \"{format}\", not \"{Format}\"");
            }

            int version = Property(root, "version").TryGetInt32(out int v) ? v : throw Invalid("'version' must be an integer");
            if (version != Version)
            {
                throw Invalid($"artifact version {version} is not supported; this library reads version {Version}");
            }

            string method = String(root, "method");
            try
            {
                return method switch
                {
                    "platt" => PlattCalibrator.Restore(Finite(root, "a"), Finite(root, "b"), Report(root)),
                    "isotonic" => RestoreIsotonic(root),
                    "temperature" => TemperatureScaling.Restore(
                        Positive(root, "temperature"), Report(root), Property(root, "atBound").GetBoolean()),
                    "histogram" => RestoreHistogram(root),
                    "beta" => BetaCalibrator.Restore(NonNegative(root, "a"), NonNegative(root, "b"), Finite(root, "c"), Report(root)),
                    _ => throw Invalid($"unknown calibration method \"{method}\""),
                };
            }
            catch (InvalidOperationException e)
            {
                throw Invalid($"a field of the \"{method}\" artifact has the wrong JSON type ({e.Message})");
            }
        }
    }

    private static IsotonicCalibrator RestoreIsotonic(JsonElement root)
    {
        double[] thresholds = Array(root, "thresholds");
        double[] values = Array(root, "values");
        if (thresholds.Length == 0 || thresholds.Length != values.Length)
        {
            throw Invalid($"'thresholds' ({thresholds.Length}) and 'values' ({values.Length}) must be non-empty and of equal length");
        }

        for (int i = 0; i < thresholds.Length; i++)
        {
            if (!(values[i] >= 0.0 && values[i] <= 1.0) || (i > 0 && !(thresholds[i] > thresholds[i - 1] && values[i] >= values[i - 1])))
            {
                throw Invalid($"'thresholds' must increase strictly and 'values' be non-decreasing probabilities, but element {i} breaks that");
            }
        }

        return IsotonicCalibrator.Restore(thresholds, values);
    }

    private static HistogramBinningCalibrator RestoreHistogram(JsonElement root)
    {
        double[] values = Array(root, "values");
        long[] counts = Property(root, "counts").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        if (values.Length == 0 || values.Length != counts.Length)
        {
            throw Invalid($"'values' ({values.Length}) and 'counts' ({counts.Length}) must be non-empty and of equal length");
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] >= 0.0 && values[i] <= 1.0) || counts[i] < 0)
            {
                throw Invalid($"bin {i} must have a probability in [0, 1] and a non-negative count");
            }
        }

        return HistogramBinningCalibrator.Restore(values, counts);
    }

    private static void WriteReport(Utf8JsonWriter writer, SolverReport report)
    {
        writer.WriteNumber("iterations", report.Iterations);
        writer.WriteBoolean("converged", report.Converged);
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    private static SolverReport Report(JsonElement root) =>
        new(Property(root, "iterations").GetInt32(), Property(root, "converged").GetBoolean());

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) ? value : throw Invalid($"the field '{name}' is missing");

    private static string String(JsonElement root, string name) =>
        Property(root, name) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Invalid($"'{name}' must be a string");

    private static double Finite(JsonElement root, string name)
    {
        double value = Property(root, name).GetDouble();
        return double.IsFinite(value) ? value : throw Invalid($"'{name}' must be finite");
    }

    private static double Positive(JsonElement root, string name)
    {
        double value = Finite(root, name);
        return value > 0.0 ? value : throw Invalid($"'{name}' must be positive, but is {value}");
    }

    private static double NonNegative(JsonElement root, string name)
    {
        double value = Finite(root, name);
        return value >= 0.0 ? value : throw Invalid($"'{name}' must not be negative, but is {value}");
    }

    private static double[] Array(JsonElement root, string name) =>
        Property(root, name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static ArgumentException Invalid(string problem) =>
        new($"'{JsonParameter}' is not a valid calibrator artifact: {problem}.", JsonParameter);
}
