namespace SelfLearning.Registry;

/// <summary>
/// One registered version of a model, as the registry stored it at the moment it was read. Versions are
/// created by an <see cref="IModelRegistry"/>; every change (stage, alias, tag, report) yields a new instance.
/// </summary>
public sealed record ModelVersion
{
    /// <summary>Gets the model name (see <see cref="RegistryNames.ValidateModelName"/>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version number the registry assigned: 1, 2, 3… per model name, never reused.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the lifecycle stage.</summary>
    public required ModelStage Stage { get; init; }

    /// <summary>Gets the aliases that point at this version, in ordinal order.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }

    /// <summary>Gets the validation metrics recorded at registration (for example <c>accuracy</c>, <c>ece</c>).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Gets the training parameters (hyper-parameters, seed) as text.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>Gets the free-form tags.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>Gets where the version came from.</summary>
    public required ModelLineage Lineage { get; init; }

    /// <summary>Gets the SHA-256 of the artifact as 64 lower-case hexadecimal digits.</summary>
    public required string ArtifactSha256 { get; init; }

    /// <summary>Gets the artifact size in bytes.</summary>
    public required long ArtifactSize { get; init; }

    /// <summary>Gets when the version was registered, from the registry's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets who registered the version.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>
    /// Gets the evaluation or gate report that decided the version's fate, as an opaque JSON document,
    /// or <see langword="null"/> when none has been recorded.
    /// </summary>
    public string? EvaluationReport { get; init; }
}
