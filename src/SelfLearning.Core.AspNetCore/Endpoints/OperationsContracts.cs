namespace SelfLearning.AspNetCore.Endpoints;

// The JSON shapes of the jobs, experiments, cases, monitoring and events endpoints.

/// <summary>A page of items.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);

/// <summary>A training job.</summary>
internal sealed record JobDto(
    string Id,
    string Model,
    string ModelType,
    string State,
    string Trigger,
    int Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    string? FailureReason,
    ProgressDto? Progress,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>A job's latest progress.</summary>
internal sealed record ProgressDto(double Percent, string Stage, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The body of "start a training now".</summary>
internal sealed record StartTrainingRequest(string? Model);

/// <summary>What "start a training now" did: the cycle's outcome and the job it started, if any.</summary>
internal sealed record StartTrainingResultDto(string Model, string Outcome, string Message, int? Version, JobDto? Job);

/// <summary>An experiment in the list.</summary>
internal sealed record ExperimentSummaryDto(
    string Key,
    string Model,
    int ChampionVersion,
    int ChallengerVersion,
    string Status,
    double ChallengerShare,
    int RampStep,
    IReadOnlyList<double> Ramp,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TimeSpan MaximumDuration);

/// <summary>An experiment with its tallies, sequential test state, sample-ratio check and decisions.</summary>
internal sealed record ExperimentDetailDto(
    ExperimentSummaryDto Experiment,
    long ChampionExposures,
    long ChallengerExposures,
    IReadOnlyList<MetricStateDto> Metrics,
    SampleRatioDto SampleRatio,
    IReadOnlyList<DecisionDto> Decisions);

/// <summary>One metric of an experiment: both arms' tallies and the tests on them; a statistic that is not defined yet (too few outcomes) is null.</summary>
internal sealed record MetricStateDto(
    string Metric,
    bool Primary,
    long ChampionCount,
    double? ChampionMean,
    long ChallengerCount,
    double? ChallengerMean,
    double? Difference,
    double? FixedHorizonPValue,
    double? SequentialPValue,
    double? SequentialLower,
    double? SequentialUpper,
    bool IsImprovement,
    bool IsRegression);

/// <summary>The sample-ratio-mismatch check.</summary>
internal sealed record SampleRatioDto(long ChampionUnits, long ChallengerUnits, double? ChiSquare, double? PValue, bool IsMismatch);

/// <summary>One decision recorded for an experiment.</summary>
internal sealed record DecisionDto(string Action, DateTimeOffset DecidedAt, int RampStep, double ChallengerShare, IReadOnlyList<string> Reasons);

/// <summary>The body of "start an A/B test".</summary>
internal sealed record StartExperimentRequest(string? Model, int? ChallengerVersion, int? ChampionVersion, double? Split, double? MaximumDurationHours);

/// <summary>Case collection statistics: counts only, never a case.</summary>
internal sealed record CaseStatisticsDto(
    long Read,
    long Accepted,
    long Rejected,
    IReadOnlyDictionary<string, long> RejectionsByReason,
    IReadOnlyDictionary<string, long> AcceptedByLabel,
    long NeedingReview,
    double? MeanQuality,
    long NewCasesSinceLastTraining,
    DateTimeOffset? LastCollectedAt);

/// <summary>A model's monitoring state.</summary>
internal sealed record MonitoringDto(
    string Model,
    int? ChampionVersion,
    LiveMetricsDto? Champion,
    LiveMetricsDto? Challenger,
    IReadOnlyList<DriftDto> Drift,
    HealthDto Health);

/// <summary>A live metrics window; <c>EstimatedAccuracy</c> is the label-free estimate (the mean calibrated confidence).</summary>
internal sealed record LiveMetricsDto(
    int Version,
    int Count,
    double? Accuracy,
    double? ExpectedCalibrationError,
    double? BrierScore,
    double? EstimatedAccuracy,
    long TotalRecorded,
    DateTimeOffset TakenAt);

/// <summary>One drift monitor's latest report.</summary>
internal sealed record DriftDto(string Monitor, int ReferenceCount, int LiveCount, double? Psi, double? KsPValue, string Severity, bool IsDrift, DateTimeOffset EvaluatedAt);

/// <summary>The host's health checks.</summary>
internal sealed record HealthDto(string Status, IReadOnlyList<HealthEntryDto> Entries);

/// <summary>One health check.</summary>
internal sealed record HealthEntryDto(string Name, string Status, string? Description);

/// <summary>One loop event as streamed over Server-Sent Events.</summary>
internal sealed record EventDto(string Kind, DateTimeOffset OccurredAt, string? Model, int? Version, string Message);
