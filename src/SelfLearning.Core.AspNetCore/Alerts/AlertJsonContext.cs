using System.Text.Json;
using System.Text.Json.Serialization;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>Source-generated JSON of the webhook body.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SelfLearningAlert))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
