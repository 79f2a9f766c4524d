using System.Collections.Immutable;

namespace SelfLearning.Registry;

/// <summary>
/// What a caller supplies to register a new version (the artifact goes beside it). Every property is
/// checked when it is set, so an invalid registration cannot be built.
/// </summary>
public sealed record ModelRegistration
{
    private readonly string _name = string.Empty;
    private readonly string _createdBy = string.Empty;
    private readonly IReadOnlyDictionary<string, double> _metrics = ImmutableSortedDictionary<string, double>.Empty;
    private readonly IReadOnlyDictionary<string, string> _parameters = ImmutableSortedDictionary<string, string>.Empty;
    private readonly IReadOnlyDictionary<string, string> _tags = ImmutableSortedDictionary<string, string>.Empty;
    private readonly ModelLineage _lineage = ModelLineage.None;
    private readonly string? _evaluationReport;

    /// <summary>Gets the model name (see <see cref="RegistryNames.ValidateModelName"/>).</summary>
    public required string Name
    {
        get => _name;
        init => _name = RegistryNames.ValidateModelName(value, nameof(Name));
    }

    /// <summary>Gets who registers the version (a user or a service identity).</summary>
    public required string CreatedBy
    {
        get => _createdBy;
        init => _createdBy = RegistryNames.ValidateText(value, nameof(CreatedBy));
    }

    /// <summary>Gets the validation metrics; every value must be finite.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics;
        init => _metrics = CopyMetrics(value, nameof(Metrics));
    }

    /// <summary>Gets the training parameters as text.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get => _parameters;
        init => _parameters = CopyText(value, nameof(Parameters));
    }

    /// <summary>Gets the initial tags.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = CopyText(value, nameof(Tags));
    }

    /// <summary>Gets where the version came from. A parent version must already exist when the version is registered.</summary>
    /// <value>The default value is <see cref="ModelLineage.None"/>.</value>
    public ModelLineage Lineage
    {
        get => _lineage;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Lineage));
            if (value.ParentVersion is int parent && parent <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Lineage), parent, $"The parent version must be positive, but is {parent}.");
            }

            ValidateLineageText(value.DatasetHash, $"{nameof(Lineage)}.{nameof(ModelLineage.DatasetHash)}");
            ValidateLineageText(value.TrainerType, $"{nameof(Lineage)}.{nameof(ModelLineage.TrainerType)}");
            ValidateLineageText(value.TrainingJobId, $"{nameof(Lineage)}.{nameof(ModelLineage.TrainingJobId)}");
            if (value.HoldoutSize is int holdout && holdout < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Lineage), holdout, $"{nameof(Lineage)}.{nameof(ModelLineage.HoldoutSize)} must not be negative, but is {holdout}.");
            }

            if (value.ReferenceScores is { } scores)
            {
                if (scores.Count > ModelLineage.MaxReferenceScores)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(Lineage), scores.Count, $"{nameof(Lineage)}.{nameof(ModelLineage.ReferenceScores)} holds {scores.Count} values; at most {ModelLineage.MaxReferenceScores} are kept.");
                }

                for (int i = 0; i < scores.Count; i++)
                {
                    if (!double.IsFinite(scores[i]))
                    {
                        throw new ArgumentOutOfRangeException(
                            nameof(Lineage), scores[i], $"{nameof(Lineage)}.{nameof(ModelLineage.ReferenceScores)}[{i}] must be finite, but is {scores[i]}.");
                    }
                }
            }

            _lineage = value;
        }
    }

    /// <summary>Gets an evaluation report (JSON) known at registration, if any.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? EvaluationReport
    {
        get => _evaluationReport;
        init => _evaluationReport = value is null ? null : EvaluationReports.Validate(value, nameof(EvaluationReport));
    }

    /// <summary>
    /// The version a registry creates for this registration: a <see cref="ModelStage.Candidate"/> with no aliases,
    /// carrying the registration's metadata. Shared by every <see cref="IModelRegistry"/> so they create versions alike.
    /// </summary>
    /// <param name="version">The version number the registry assigned (1, 2, 3… per model).</param>
    /// <param name="artifactSha256">The SHA-256 of the stored artifact, lower-case hex (see <see cref="ArtifactHash"/>).</param>
    /// <param name="artifactSize">The artifact's size in bytes.</param>
    /// <param name="createdAt">When the registry committed it.</param>
    /// <returns>The new version.</returns>
    public ModelVersion CreateVersion(int version, string artifactSha256, long artifactSize, DateTimeOffset createdAt) =>
        new()
        {
            Name = Name,
            Version = version,
            Stage = ModelStage.Candidate,
            Aliases = [],
            Metrics = Metrics,
            Parameters = Parameters,
            Tags = Tags,
            Lineage = Lineage,
            ArtifactSha256 = artifactSha256,
            ArtifactSize = artifactSize,
            CreatedAt = createdAt,
            CreatedBy = CreatedBy,
            EvaluationReport = EvaluationReport,
        };

    private static ImmutableSortedDictionary<string, double> CopyMetrics(IReadOnlyDictionary<string, double>? metrics, string paramName)
    {
        ArgumentNullException.ThrowIfNull(metrics, paramName);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in metrics)
        {
            RegistryNames.ValidateKey(key, paramName);
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"The metric '{key}' must be finite, but is {value}.");
            }

            builder.Add(key, value);
        }

        return builder.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> CopyText(IReadOnlyDictionary<string, string>? values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            RegistryNames.ValidateKey(key, paramName);
            RegistryNames.ValidateText(value, paramName);
            builder.Add(key, value);
        }

        return builder.ToImmutable();
    }

    private static void ValidateLineageText(string? value, string paramName)
    {
        if (value is not null)
        {
            RegistryNames.ValidateText(value, paramName);
        }
    }
}
