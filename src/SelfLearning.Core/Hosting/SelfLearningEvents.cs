using Microsoft.Extensions.Logging;

namespace SelfLearning.Hosting;

/// <summary>Publishes the loop's events to subscribers and keeps the most recent ones.</summary>
internal sealed class SelfLearningEvents(ILogger<SelfLearningEvents> logger) : ISelfLearningEvents
{
    private const int Capacity = 1_000;
    private readonly Queue<SelfLearningEvent> _recent = new();
    private readonly object _lock = new();

    public event EventHandler<SelfLearningEvent>? Published;

    public IReadOnlyList<SelfLearningEvent> Recent
    {
        get
        {
            lock (_lock)
            {
                return [.. _recent];
            }
        }
    }

    public void Publish(SelfLearningEvent e)
    {
        lock (_lock)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(e);
        }

        HostingLog.EventPublished(logger, e.Kind, e.ModelName, e.Version, e.Message);
        var handlers = Published;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<SelfLearningEvent>>())
        {
            try
            {
                handler(this, e);
            }
#pragma warning disable CA1031 // One failing subscriber must neither stop the loop nor hide the event from the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HostingLog.EventHandlerFailed(logger, ex, e.Kind, e.ModelName);
            }
        }
    }
}
