namespace SelfLearning.Hosting;

/// <summary>The loop's events: subscribe to alert on failed jobs, rejected candidates, promotions, roll backs, drift and stale data.</summary>
public interface ISelfLearningEvents
{
    /// <summary>Raised after each event; handlers run on the loop's thread and their exceptions are logged, not thrown.</summary>
    event EventHandler<SelfLearningEvent>? Published;

    /// <summary>Gets the most recent events, oldest first (at most 1,000).</summary>
    IReadOnlyList<SelfLearningEvent> Recent { get; }
}
