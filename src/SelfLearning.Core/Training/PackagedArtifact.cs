using System.Buffers.Binary;
using System.Text.Json;
using SelfLearning.Calibration;

namespace SelfLearning.Training;

/// <summary>
/// What the loop registers as one version: the trainer's artifact untouched, with the model type, task and format
/// it needs to load it, and what the loop fitted around it on the validation split (a classifier's calibrator, a
/// regressor's conformal interval radius, a clustering's reference shares).
/// </summary>
/// <remarks>
/// Layout: the 8 bytes <c>SLPKG001</c>, a 4-byte little-endian header length, the UTF-8 JSON header (fixed property
/// order, shortest round-trip doubles, so equal inputs give equal bytes), then the trainer's artifact bytes as they
/// are. A version registered before packaging existed holds a bare calibrator JSON, read as a calibration artifact.
/// </remarks>
internal sealed record PackagedArtifact(
    string ModelType,
    TaskKind TaskKind,
    TrainingArtifact Model,
    ICalibrator? Calibrator = null,
    double? IntervalRadius = null,
    double? IntervalCoverage = null,
    IReadOnlyList<double>? ReferenceShares = null)
{
    private static ReadOnlySpan<byte> Magic => "SLPKG001"u8;

    /// <summary>
    /// The registered bytes. A built-in calibrator is registered as its bare JSON, as before packaging existed, so hosts
    /// and tools that read a calibration version's artifact keep working; every other artifact is packaged.
    /// </summary>
    public byte[] ToBytes()
    {
        if (TaskKind == TaskKind.ScoreCalibration && string.Equals(Model.Format, CalibrationTrainer.ArtifactFormat, StringComparison.Ordinal))
        {
            return Model.Content.ToArray();
        }

        using var header = new MemoryStream();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("modelType", ModelType);
            writer.WriteString("task", TaskKind.ToString());
            writer.WriteString("format", Model.Format);
            if (Calibrator is not null)
            {
                writer.WriteString("calibrator", CalibratorSerializer.Serialize(Calibrator));
            }

            if (IntervalRadius is double radius)
            {
                writer.WriteNumber("intervalRadius", radius);
                writer.WriteNumber("intervalCoverage", IntervalCoverage ?? 0.0);
            }

            if (ReferenceShares is not null)
            {
                ArtifactJson.WriteArray(writer, "referenceShares", ReferenceShares);
            }

            writer.WriteEndObject();
        }

        ReadOnlySpan<byte> model = Model.Content.Span;
        var bytes = new byte[Magic.Length + sizeof(int) + (int)header.Length + model.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length), (int)header.Length);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(bytes.AsSpan(Magic.Length + sizeof(int)));
        model.CopyTo(bytes.AsSpan(Magic.Length + sizeof(int) + (int)header.Length));
        return bytes;
    }

    /// <summary>Reads a registered artifact; a bare calibrator JSON (from before packaging) is a calibration artifact.</summary>
    /// <exception cref="ArgumentException">The bytes are neither a package nor a calibrator.</exception>
    public static PackagedArtifact Read(ReadOnlySpan<byte> bytes, string legacyModelType)
    {
        if (!bytes.StartsWith(Magic))
        {
            return new PackagedArtifact(legacyModelType, TaskKind.ScoreCalibration, new TrainingArtifact(CalibrationTrainer.ArtifactFormat, bytes));
        }

        int length = bytes.Length >= Magic.Length + sizeof(int) ? BinaryPrimitives.ReadInt32LittleEndian(bytes[Magic.Length..]) : -1;
        int start = Magic.Length + sizeof(int);
        if (length <= 0 || length > bytes.Length - start)
        {
            throw new ArgumentException($"The packaged artifact's header length {length} does not fit its {bytes.Length} bytes.", nameof(bytes));
        }

        using var document = JsonDocument.Parse(bytes.Slice(start, length).ToArray());
        JsonElement root = document.RootElement;
        string modelType = root.GetProperty("modelType").GetString()!;
        TaskKind task = Enum.Parse<TaskKind>(root.GetProperty("task").GetString()!);
        var model = new TrainingArtifact(root.GetProperty("format").GetString()!, bytes[(start + length)..]);
        ICalibrator? calibrator = root.TryGetProperty("calibrator", out var c) ? CalibratorSerializer.Deserialize(c.GetString()!) : null;
        double? radius = root.TryGetProperty("intervalRadius", out var r) ? r.GetDouble() : null;
        double? coverage = root.TryGetProperty("intervalCoverage", out var v) ? v.GetDouble() : null;
        double[]? shares = root.TryGetProperty("referenceShares", out var s) ? [.. s.EnumerateArray().Select(e => e.GetDouble())] : null;
        return new PackagedArtifact(modelType, task, model, calibrator, radius, coverage, shares);
    }

    /// <summary>Gets a short description for messages.</summary>
    public override string ToString() => $"{ModelType} ({TaskKind}, {Model.Format})";
}
