using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// The artifact of an ML.NET model type: a zip holding <c>manifest.json</c> (format version, model type, task kind,
/// input width, classes, attribute columns and their kinds) and <c>model.zip</c> (ML.NET's own model file, with its
/// input schema). Both zips are written deterministically — entries sorted by name, fixed timestamps — so the same
/// model gives the same bytes.
/// </summary>
/// <remarks>
/// A model without attribute columns is written as manifest version 1, byte for byte as before attributes existed, so
/// older readers still load it; one with attribute columns is version 2, which a version-1 reader refuses instead of
/// serving it without its attributes. This reader loads both.
/// </remarks>
internal static class MlNetArtifact
{
    public const int Version = 1;

    /// <summary>The manifest version of a model with attribute columns.</summary>
    public const int AttributesVersion = 2;
    public const string ManifestEntry = "manifest.json";
    public const string ModelEntry = "model.zip";

    /// <summary>The timestamp every entry gets (ML.NET writes the wall clock, the only difference between identical runs).</summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TrainingArtifact Write(MLContext ml, ITransformer model, DataViewSchema inputSchema, Manifest manifest)
    {
        using var raw = new MemoryStream();
        ml.Model.Save(model, inputSchema, raw);
        byte[] modelZip = Repack(raw.ToArray());
        byte[] manifestJson = JsonSerializer.SerializeToUtf8Bytes(manifest);
        return new TrainingArtifact(MlNetPredictorLoader.ArtifactFormat, Zip([(ManifestEntry, manifestJson), (ModelEntry, modelZip)]));
    }

    /// <summary>Reads an artifact back: its manifest, and the ML.NET model after checking its input schema against the manifest.</summary>
    /// <exception cref="ArgumentException">The artifact is malformed, of another version, or its model's schema differs from its manifest.</exception>
    public static (Manifest Manifest, ITransformer Model) Read(MLContext ml, TrainingArtifact artifact)
    {
        if (!string.Equals(artifact.Format, MlNetPredictorLoader.ArtifactFormat, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The artifact is in format '{artifact.Format}', not '{MlNetPredictorLoader.ArtifactFormat}'.", nameof(artifact));
        }

        byte[] manifestJson;
        byte[] modelZip;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(artifact.Content.ToArray(), writable: false), ZipArchiveMode.Read);
            manifestJson = ReadEntry(archive, ManifestEntry, nameof(artifact));
            modelZip = ReadEntry(archive, ModelEntry, nameof(artifact));
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"The ML.NET artifact is not a readable zip: {e.Message}", nameof(artifact), e);
        }

        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(manifestJson)
                ?? throw new ArgumentException("The ML.NET artifact's manifest is empty.", nameof(artifact));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The ML.NET artifact's manifest is not valid JSON: {e.Message}", nameof(artifact), e);
        }

        if (manifest.Version is not (Version or AttributesVersion))
        {
            throw new ArgumentException(
                $"The ML.NET artifact is of manifest version {manifest.Version}; this package reads versions {Version} and {AttributesVersion}.", nameof(artifact));
        }

        if ((manifest.Version == AttributesVersion) != (manifest.Attributes is { Count: > 0 }))
        {
            throw new ArgumentException(
                $"The ML.NET artifact's manifest is version {manifest.Version} but declares {manifest.Attributes?.Count ?? 0} attribute columns; " +
                $"version {AttributesVersion} and attribute columns go together.", nameof(artifact));
        }

        IReadOnlyList<MlNetAttributeColumn> declared;
        try
        {
            declared = manifest.AttributeColumns();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The ML.NET artifact's manifest declares an invalid attribute column: {e.Message}", nameof(artifact), e);
        }

        ITransformer model;
        DataViewSchema schema;
        try
        {
            using var stream = new MemoryStream(modelZip, writable: false);
            model = ml.Model.Load(stream, out schema);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or IOException)
        {
            throw new ArgumentException($"The ML.NET model in the artifact cannot be loaded: {e.Message}", nameof(artifact), e);
        }

        CheckSchema(manifest, schema, nameof(artifact));
        CheckAttributes(declared, schema, nameof(artifact));
        return (manifest, model);
    }

    /// <summary>Rewrites a zip with entries sorted by name, each with <see cref="EntryTime"/>, compressed the same way.</summary>
    public static byte[] Repack(byte[] zip)
    {
        using var input = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        var entries = input.Entries
            .Where(e => !e.FullName.EndsWith('/'))
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e => (e.FullName, ReadAll(e)))
            .ToList();
        return Zip(entries);
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    private static byte[] ReadEntry(ZipArchive archive, string name, string parameterName)
    {
        var entry = archive.GetEntry(name) ?? throw new ArgumentException($"The ML.NET artifact has no '{name}' entry.", parameterName);
        return ReadAll(entry);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Refuses a model whose input schema is not the one the manifest (and so the served inputs) describe.</summary>
    private static void CheckSchema(Manifest manifest, DataViewSchema schema, string parameterName)
    {
        var features = schema.GetColumnOrNull(MlNetRows.FeaturesColumn);
        if (features is not { Type: VectorDataViewType { ItemType: NumberDataViewType, Size: int size } vector }
            || vector.ItemType != NumberDataViewType.Single || size != manifest.FeatureCount)
        {
            string found = features is null ? "no such column" : features.Value.Type.ToString() ?? "an unnamed type";
            throw new ArgumentException(
                $"The ML.NET model was saved with another input schema: the manifest says '{MlNetRows.FeaturesColumn}' is a vector of {manifest.FeatureCount} Single values, " +
                $"but the model's input schema has {found}.",
                parameterName);
        }

        var label = schema.GetColumnOrNull(MlNetRows.LabelColumn);
        DataViewType? expected = manifest.TaskKind switch
        {
            TaskKind.BinaryClassification => BooleanDataViewType.Instance,
            TaskKind.MulticlassClassification => new KeyDataViewType(typeof(uint), manifest.Classes.Count),
            TaskKind.Regression => NumberDataViewType.Single,
            _ => (DataViewType?)null,
        };
        bool matches = expected is null ? label is null : label is not null && label.Value.Type.Equals(expected);
        if (!matches)
        {
            throw new ArgumentException(
                $"The ML.NET model was saved with another input schema: a {manifest.TaskKind} model needs '{MlNetRows.LabelColumn}' of type " +
                $"{expected?.ToString() ?? "(none)"}, but the model's input schema has {label?.Type.ToString() ?? "none"}.",
                parameterName);
        }
    }

    /// <summary>Refuses a model whose attribute columns are not the text columns the manifest declares, naming the difference.</summary>
    private static void CheckAttributes(IReadOnlyList<MlNetAttributeColumn> declared, DataViewSchema schema, string parameterName)
    {
        foreach (var attribute in declared)
        {
            var column = schema.GetColumnOrNull(attribute.Name);
            if (column is not { Type: TextDataViewType })
            {
                throw new ArgumentException(
                    $"The ML.NET model was saved with another input schema: the manifest declares {attribute.Kind} attribute column '{attribute.Name}' (text), " +
                    $"but the model's input schema has {(column is null ? "no such column" : column.Value.Type.ToString())}.",
                    parameterName);
            }
        }

        foreach (var column in schema)
        {
            bool known = column.Name is MlNetRows.FeaturesColumn or MlNetRows.LabelColumn
                || declared.Any(a => string.Equals(a.Name, column.Name, StringComparison.Ordinal));
            if (!column.IsHidden && !known)
            {
                throw new ArgumentException(
                    $"The ML.NET model was saved with another input schema: it has input column '{column.Name}' ({column.Type}), which the manifest does not declare " +
                    $"(declared attribute columns: {(declared.Count == 0 ? "none" : string.Join(", ", declared.Select(a => $"{a.Name} ({a.Kind})")))}).",
                    parameterName);
            }
        }
    }

    /// <summary>An attribute column as the manifest records it.</summary>
    internal sealed class AttributeEntry
    {
        public string Name { get; set; } = "";

        /// <summary>Gets or sets the kind's name (read back by <see cref="Manifest.AttributeColumns"/>, which names an unknown one).</summary>
        public string Kind { get; set; } = "";
    }

    /// <summary>What the artifact says about its model, next to ML.NET's zip.</summary>
    internal sealed class Manifest
    {
        public int Version { get; set; } = MlNetArtifact.Version;

        public string ModelType { get; set; } = "";

        public TaskKind TaskKind { get; set; }

        public int FeatureCount { get; set; }

        public IReadOnlyList<string> Classes { get; set; } = [];

        /// <summary>Gets or sets the attribute columns, in input order; absent (null) in a version-1 manifest.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyList<AttributeEntry>? Attributes { get; set; }

        /// <summary>The attribute columns as declarations (validated: names, kinds, no duplicates).</summary>
        public IReadOnlyList<MlNetAttributeColumn> AttributeColumns() =>
            Attributes is null ? [] : MlNetAttributeColumn.Validate(Attributes.Select(a => new MlNetAttributeColumn(a.Name, ParseKind(a))), "manifest.Attributes");

        private static MlNetAttributeKind ParseKind(AttributeEntry entry) =>
            Enum.TryParse<MlNetAttributeKind>(entry.Kind, out var kind) && Enum.IsDefined(kind) && !int.TryParse(entry.Kind, out _)
                ? kind
                : throw new ArgumentException(
                    $"Attribute column '{entry.Name}' has kind '{entry.Kind}', which is not one of {string.Join(", ", Enum.GetNames<MlNetAttributeKind>())}.", nameof(entry));

        /// <summary>Records <paramref name="attributes"/> and the manifest version they call for.</summary>
        public Manifest WithAttributes(IReadOnlyList<MlNetAttributeColumn> attributes)
        {
            Attributes = attributes.Count == 0 ? null : [.. attributes.Select(a => new AttributeEntry { Name = a.Name, Kind = a.Kind.ToString() })];
            Version = attributes.Count == 0 ? MlNetArtifact.Version : AttributesVersion;
            return this;
        }
    }
}
