using Microsoft.Extensions.Logging;

namespace SelfLearning.Experiments;

/// <summary>Log messages of the Experiments area (event ids 3000–3999).</summary>
internal static partial class ExperimentsLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Experiment {ExperimentKey} at {ChallengerShare} challenger share: {Action}. {Reasons}")]
    public static partial void Decided(ILogger logger, string experimentKey, double challengerShare, DecisionAction action, IReadOnlyList<string> reasons);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Experiment {ExperimentKey} promoted {ModelName} version {Version} to champion")]
    public static partial void Promoted(ILogger logger, string experimentKey, string modelName, int version);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Experiment {ExperimentKey} rolled back challenger {Version}. {Reasons}")]
    public static partial void RolledBack(ILogger logger, string experimentKey, int version, IReadOnlyList<string> reasons);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Experiment {ExperimentKey} could not activate {ModelName} version {Version}; the experiment keeps running")]
    public static partial void PromotionFailed(ILogger logger, Exception exception, string experimentKey, string modelName, int version);
}
