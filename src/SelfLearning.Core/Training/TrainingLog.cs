using Microsoft.Extensions.Logging;

namespace SelfLearning.Training;

/// <summary>The training area's log messages; event ids 4000–4999.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Queued training job {JobId} for model {ModelKey} ({ModelType}, priority {Priority}, trigger {Trigger})")]
    public static partial void JobQueued(ILogger logger, string jobId, string modelKey, string modelType, int priority, TrainingTriggerKind trigger);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Skipped a training request for model {ModelKey}: {Reason}")]
    public static partial void RequestSkipped(ILogger logger, string modelKey, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Started training job {JobId} for model {ModelKey}, attempt {Attempt}")]
    public static partial void JobStarted(ILogger logger, string jobId, string modelKey, int attempt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Completed training job {JobId} for model {ModelKey} in {WallTime}")]
    public static partial void JobCompleted(ILogger logger, string jobId, string modelKey, TimeSpan wallTime);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Training job {JobId} for model {ModelKey} failed: {Reason}")]
    public static partial void JobFailed(ILogger logger, Exception? exception, string jobId, string modelKey, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Training job {JobId} failed transiently on attempt {Attempt}; retrying after {RetryAt}")]
    public static partial void RetryScheduled(ILogger logger, Exception exception, string jobId, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Training job {JobId} moved to {State}: {Reason}")]
    public static partial void JobStopped(ILogger logger, string jobId, TrainingJobState state, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Training job {JobId} {State}")]
    public static partial void JobPausedOrResumed(ILogger logger, string jobId, TrainingJobState state);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Recovered abandoned training job {JobId} as {State}: {Reason}")]
    public static partial void JobRecovered(ILogger logger, string jobId, TrainingJobState state, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Training job {JobId} lost its lease to another writer; its result is discarded")]
    public static partial void LeaseLost(ILogger logger, string jobId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Writing training job {JobId} failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "The training dispatcher's maintenance pass failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Trigger {Trigger} for model {ModelKey} fired at {At}")]
    public static partial void TriggerFired(ILogger logger, TrainingTriggerKind trigger, string modelKey, DateTimeOffset at);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Trigger {Trigger} for model {ModelKey} did not start training: {Reason}")]
    public static partial void TriggerDeclined(ILogger logger, TrainingTriggerKind trigger, string modelKey, string reason);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Evaluating trigger {Trigger} for model {ModelKey} failed")]
    public static partial void TriggerFailed(ILogger logger, Exception exception, TrainingTriggerKind trigger, string modelKey);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Trainer {ModelType} stopped after {Iterations} iterations without converging")]
    public static partial void NotConverged(ILogger logger, string modelType, int iterations);
}
