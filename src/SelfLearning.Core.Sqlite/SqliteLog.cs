using Microsoft.Extensions.Logging;
using SelfLearning.Registry;

namespace SelfLearning.Sqlite;

/// <summary>Log messages of the SQLite stores (event ids 2100–2199).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Applied schema migration {MigrationId} to {Path}.")]
    public static partial void MigrationApplied(ILogger logger, string migrationId, string path);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Model '{Name}' version {Version} registered by {Actor} (revision {Revision}).")]
    public static partial void Registered(ILogger logger, string name, int version, string actor, long revision);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Model '{Name}' version {Version} moved from {From} to {To} by {Actor} ({Operation}, revision {Revision}): {Reason}")]
    public static partial void Transition(ILogger logger, string name, int version, ModelStage? from, ModelStage to, string actor, RegistryOperation operation, long revision, string? reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "A handler of the registry's Changed event failed for model '{Name}' revision {Revision}; the write had committed.")]
    public static partial void ChangedHandlerFailed(ILogger logger, Exception exception, string name, long revision);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "The artifact of model '{Name}' version {Version} failed its SHA-256 check and was refused.")]
    public static partial void ArtifactRefused(ILogger logger, string name, int version);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Moved schema step {MigrationId} of {Path}, written before the selflearning_ prefix, onto the prefixed tables.")]
    public static partial void LegacyStepMoved(ILogger logger, string migrationId, string path);

}
