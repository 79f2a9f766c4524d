using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

/// <summary>Builders shared by the case tests.</summary>
internal static class CaseTestData
{
    /// <summary>bytes 1..32, Base64; the HMAC reference values in the tests were computed with Python's hmac module for this key.</summary>
    public const string Key = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    public static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static FeedbackCase Case(string id, string label = "flu", DateTimeOffset? validatedAt = null, string reviewer = "rev-1", double certainty = 0.95) => new()
    {
        Id = id,
        ModelName = "triage",
        ModelVersion = "1.0.0",
        Input = new CaseInput { Features = [0.25, 1.5], RawScore = 0.75 },
        PredictedLabel = "flu",
        PredictedConfidence = 0.75,
        ValidatedLabel = label,
        Status = ValidationStatus.Validated,
        ReviewerId = reviewer,
        ReviewerCertainty = certainty,
        CreatedAt = Now.AddDays(-3),
        ValidatedAt = validatedAt ?? Now.AddDays(-1),
    };

    public static IEnumerable<FeedbackCase> Many(int count, int seed = 1)
    {
        var random = new Random(seed);
        string[] labels = ["flu", "cold", "covid"];
        for (int i = 0; i < count; i++)
        {
            yield return Case($"case-{i:D6}", labels[random.Next(labels.Length)], Now.AddMinutes(-random.Next(1, 100_000)));
        }
    }

    public static CaseAnonymizer Anonymizer(Action<CaseAnonymizerOptions>? configure = null, ILogger<CaseAnonymizer>? logger = null)
    {
        var options = new CaseAnonymizerOptions { PseudonymizationKey = Key };
        configure?.Invoke(options);
        return new CaseAnonymizer(options, logger);
    }

    public static CaseCollector Collector(ICaseSource source, CaseCollectorOptions? options = null, ILoggerFactory? loggers = null, TimeProvider? clock = null) =>
        new(
            source,
            Anonymizer(logger: loggers?.CreateLogger<CaseAnonymizer>()),
            options,
            new CaseQualityScorer(timeProvider: clock ?? new ManualClock(Now)),
            loggers?.CreateLogger<CaseCollector>(),
            clock ?? new ManualClock(Now));
}

/// <summary>A test clock that moves only when told to.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A real logging provider that keeps every formatted line, for scanning.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Lines.Enqueue((logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}

/// <summary>A sink that keeps what it receives.</summary>
internal sealed class ListSink : ICollectedCaseSink
{
    public List<AnonymizedCase> Cases { get; } = [];

    public ValueTask AddAsync(AnonymizedCase anonymizedCase, CancellationToken cancellationToken)
    {
        Cases.Add(anonymizedCase);
        return ValueTask.CompletedTask;
    }
}

internal static class AttributeExtensions
{
    public static ImmutableSortedDictionary<string, string> ToAttributes(this IEnumerable<(string Key, string Value)> pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
