using Microsoft.Extensions.Logging;

namespace SelfLearning.Hosting;

/// <summary>The Hosting area's log messages; event ids 6000–6999.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Cycle for model '{ModelName}' finished: {Outcome}")]
    public static partial void CycleFinished(ILogger logger, string modelName, SelfLearningCycleOutcome outcome);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Cycle for model '{ModelName}' failed; it is retried at the next interval")]
    public static partial void CycleFailed(ILogger logger, Exception exception, string modelName);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Training of model '{ModelName}' with trainer '{TrainerType}' failed")]
    public static partial void TrainingFailed(ILogger logger, Exception exception, string modelName, string trainerType);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Self-learning background service started for {ModelCount} models, one cycle every {Interval}")]
    public static partial void ServiceStarted(ILogger logger, int modelCount, TimeSpan interval);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Self-learning background service stopped")]
    public static partial void ServiceStopped(ILogger logger);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Canary '{ExperimentKey}' ramped up from a challenger share of {Share}: {Reasons}")]
    public static partial void RampedUp(ILogger logger, string experimentKey, double share, string reasons);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Training of model '{ModelName}' was cancelled by shutdown; the next cycle starts again")]
    public static partial void TrainingCancelled(ILogger logger, string modelName);

    [LoggerMessage(EventId = 6050, Level = LogLevel.Error, Message = "Cycle for model '{ModelName}' failed ({Failures} in a row); it is retried in {RetryIn}")]
    public static partial void CycleFailedRetrying(ILogger logger, Exception exception, string modelName, int failures, TimeSpan retryIn);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Error, Message = "The self-learning background service's round failed; it is retried in {RetryIn}")]
    public static partial void RoundFailed(ILogger logger, Exception exception, TimeSpan retryIn);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Model '{ModelName}' version {Version} was left half-way by a stopped process: {Action}")]
    public static partial void RolloutRecovered(ILogger logger, string modelName, int version, string action);

    [LoggerMessage(EventId = 6052, Level = LogLevel.Error, Message = "Refreshing what model '{ModelName}' serves after a registry change failed; it keeps serving the versions it served until its next cycle or change")]
    public static partial void ServingRefreshFailed(ILogger logger, Exception exception, string modelName);
}
