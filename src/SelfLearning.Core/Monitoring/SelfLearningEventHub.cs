using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The in-process event hub: subscribers are an immutable array swapped under a lock on (un)subscribe, so
/// publishing reads it without locking and a handler may (un)subscribe from inside a callback.
/// </summary>
internal sealed class SelfLearningEventHub : ISelfLearningEvents, ISelfLearningEventPublisher
{
    private readonly object gate = new();
    private readonly ILogger logger;
    private Subscription[] subscriptions = [];

    public SelfLearningEventHub(ILogger<SelfLearningEventHub>? logger = null) =>
        this.logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Gets the number of current subscribers.</summary>
    public int SubscriberCount => Volatile.Read(ref subscriptions).Length;

    public IDisposable Subscribe(Action<SelfLearningEvent> handler)
    {
        var subscription = new Subscription(this, Guard.NotNull(handler));
        lock (gate)
        {
            subscriptions = [.. subscriptions, subscription];
        }

        return subscription;
    }

    public void Publish(SelfLearningEvent selfLearningEvent)
    {
        Guard.NotNull(selfLearningEvent);
        foreach (Subscription subscription in Volatile.Read(ref subscriptions))
        {
            try
            {
                subscription.Handler(selfLearningEvent);
            }
#pragma warning disable CA1031 // A subscriber's failure is logged; it must not break the loop or other subscribers.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                MonitoringLog.SubscriberFailed(logger, exception, selfLearningEvent.Kind);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (gate)
        {
            subscriptions = Array.FindAll(subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }

    private sealed class Subscription(SelfLearningEventHub hub, Action<SelfLearningEvent> handler) : IDisposable
    {
        public Action<SelfLearningEvent> Handler { get; } = handler;

        public void Dispose() => hub.Remove(this);
    }
}
