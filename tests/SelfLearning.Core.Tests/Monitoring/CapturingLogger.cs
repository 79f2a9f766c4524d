using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SelfLearning.Tests.Monitoring;

/// <summary>A logger that keeps what it is given, for asserting on event ids and messages.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyCollection<Entry> Entries => entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue(new Entry(logLevel, eventId.Id, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, int EventId, string Message, Exception? Exception);
}
