using Microsoft.Extensions.Logging;

namespace SelfLearning.Sqlite;

/// <summary>Log messages of the SQLite stores (event ids 2100–2199).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Applied schema migration {MigrationId} to {Path}.")]
    public static partial void MigrationApplied(ILogger logger, string migrationId, string path);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Moved schema step {MigrationId} of {Path}, written before the selflearning_ prefix, onto the prefixed tables.")]
    public static partial void LegacyStepMoved(ILogger logger, string migrationId, string path);
}
