using Microsoft.Extensions.Logging;

namespace SelfLearning.Quartz;

/// <summary>The Quartz package's log messages; event ids 7000–7099.</summary>
internal static partial class QuartzLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Model '{ModelName}' runs its self-learning cycle on the Quartz schedule '{CronExpression}' ({TimeZone}, misfires: {MisfirePolicy})")]
    public static partial void Scheduled(ILogger logger, string modelName, string cronExpression, string timeZone, SelfLearningMisfirePolicy misfirePolicy);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Model '{ModelName}' keeps its stored Quartz schedule '{CronExpression}'")]
    public static partial void ScheduleUnchanged(ILogger logger, string modelName, string cronExpression);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Quartz fired the self-learning cycle of model '{ModelName}' for {ScheduledFireTime:O} on instance '{InstanceId}'")]
    public static partial void CycleFired(ILogger logger, string modelName, DateTimeOffset? scheduledFireTime, string instanceId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "The self-learning cycle of model '{ModelName}' fired by Quartz for {ScheduledFireTime:O} failed; the next fire time runs it again")]
    public static partial void CycleFailed(ILogger logger, Exception exception, string modelName, DateTimeOffset? scheduledFireTime);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "The self-learning cycle of model '{ModelName}' was cancelled: the scheduler is shutting down")]
    public static partial void CycleCancelled(ILogger logger, string modelName);
}
