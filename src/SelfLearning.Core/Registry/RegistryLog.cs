using Microsoft.Extensions.Logging;

namespace SelfLearning.Registry;

/// <summary>Log messages of the registry and the active-model provider (event ids 2000–2099).</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Model '{Name}' version {Version} registered by {Actor} (revision {Revision}).")]
    public static partial void Registered(ILogger logger, string name, int version, string actor, long revision);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Model '{Name}' version {Version} moved from {From} to {To} by {Actor} ({Operation}, revision {Revision}): {Reason}")]
    public static partial void Transition(ILogger logger, string name, int version, ModelStage? from, ModelStage to, string actor, RegistryOperation operation, long revision, string? reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "A handler of the registry's Changed event failed for model '{Name}' revision {Revision}; the write had committed.")]
    public static partial void ChangedHandlerFailed(ILogger logger, Exception exception, string name, long revision);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "The artifact of model '{Name}' version {Version} failed its SHA-256 check and was refused.")]
    public static partial void ArtifactRefused(ILogger logger, string name, int version);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Active model '{Name}' now serves version {Version} (was {PreviousVersion}).")]
    public static partial void ActiveModelSwapped(ILogger logger, string name, int? version, int? previousVersion);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Reloading active model '{Name}' failed; it keeps serving version {Version}.")]
    public static partial void ActiveModelRefreshFailed(ILogger logger, Exception exception, string name, int? version);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "A handler of the active model's Changed event failed for model '{Name}'.")]
    public static partial void ActiveModelHandlerFailed(ILogger logger, Exception exception, string name);
}
