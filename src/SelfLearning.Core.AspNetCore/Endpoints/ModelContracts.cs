using System.Text.Json;

namespace SelfLearning.AspNetCore.Endpoints;

// The JSON shapes of the models endpoints: the API's contract, kept apart from the core's types so the core can change
// without changing what operators' tools read.

/// <summary>One model in the list.</summary>
internal sealed record ModelSummaryDto(string Name, long Revision, int? ChampionVersion, int VersionCount, CanaryDto? Canary);

/// <summary>One model with its champion, canary and the versions in each stage.</summary>
internal sealed record ModelDetailDto(
    string Name,
    long Revision,
    VersionDto? Champion,
    CanaryDto? Canary,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Stages);

/// <summary>A version with its metrics, gate verdict and lineage.</summary>
internal sealed record VersionDto(
    int Version,
    string Stage,
    IReadOnlyList<string> Aliases,
    IReadOnlyDictionary<string, double> Metrics,
    JsonElement? GateVerdict,
    LineageDto Lineage,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string ArtifactSha256,
    long ArtifactSize);

/// <summary>Where a version came from.</summary>
internal sealed record LineageDto(
    string? DatasetHash,
    string? TrainerType,
    int? ParentVersion,
    string? TrainingJobId,
    DateTimeOffset? TrainingWatermark,
    int? HoldoutSize,
    IReadOnlyList<double>? ReferenceScores);

/// <summary>A running canary of a model.</summary>
internal sealed record CanaryDto(
    string Key,
    int ChampionVersion,
    int ChallengerVersion,
    double ChallengerShare,
    int RampStep,
    IReadOnlyList<double> Ramp,
    DateTimeOffset StartedAt);

/// <summary>One stage transition of the registry history.</summary>
internal sealed record TransitionDto(
    long Sequence,
    long Revision,
    int Version,
    string? From,
    string To,
    string Operation,
    DateTimeOffset At,
    string Actor,
    string? Reason);

/// <summary>Two versions side by side on their stored held-out metrics.</summary>
internal sealed record ComparisonDto(string Model, int A, int B, IReadOnlyList<MetricRowDto> Metrics);

/// <summary>One metric of a comparison; <c>Difference</c> is B − A when both are stored.</summary>
internal sealed record MetricRowDto(string Metric, double? A, double? B, double? Difference);

/// <summary>The optional body of a manual action.</summary>
internal sealed record ActionRequest(string? Reason, long? ExpectedRevision);

/// <summary>What a manual registry action did.</summary>
internal sealed record ActionResultDto(string Model, int Version, string Stage, int? ChampionVersion, string Actor);
