using System.Text.Json;
using System.Text.Json.Serialization;

namespace SelfLearning.AspNetCore.Endpoints;

/// <summary>System.Text.Json source generation for every shape the endpoints read and write.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<ModelSummaryDto>))]
[JsonSerializable(typeof(ModelDetailDto))]
[JsonSerializable(typeof(IReadOnlyList<VersionDto>))]
[JsonSerializable(typeof(IReadOnlyList<TransitionDto>))]
[JsonSerializable(typeof(ComparisonDto))]
[JsonSerializable(typeof(ActionRequest))]
[JsonSerializable(typeof(ActionResultDto))]
[JsonSerializable(typeof(PageDto<JobDto>))]
[JsonSerializable(typeof(JobDto))]
[JsonSerializable(typeof(ProgressDto))]
[JsonSerializable(typeof(StartTrainingRequest))]
[JsonSerializable(typeof(StartTrainingResultDto))]
[JsonSerializable(typeof(IReadOnlyList<ExperimentSummaryDto>))]
[JsonSerializable(typeof(ExperimentSummaryDto))]
[JsonSerializable(typeof(ExperimentDetailDto))]
[JsonSerializable(typeof(StartExperimentRequest))]
[JsonSerializable(typeof(CaseStatisticsDto))]
[JsonSerializable(typeof(MonitoringDto))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(EventDto))]
internal sealed partial class SelfLearningJsonContext : JsonSerializerContext;
