using Microsoft.Extensions.Logging;

namespace SelfLearning.PostgreSql;

/// <summary>The PostgreSQL package's log messages (event ids 2200–2299).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "The registry's listening connection to PostgreSQL failed; other instances' changes are picked up again after reconnecting in {RetryIn}")]
    public static partial void ListeningFailed(ILogger logger, Exception exception, TimeSpan retryIn);
}
