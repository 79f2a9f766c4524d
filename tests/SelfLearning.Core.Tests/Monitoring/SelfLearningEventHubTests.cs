using Microsoft.Extensions.Logging;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class SelfLearningEventHubTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Publish_ThrowingSubscriber_OtherSubscribersStillReceiveAndTheFailureIsLogged()
    {
        var logger = new CapturingLogger<SelfLearningEventHub>();
        var hub = new SelfLearningEventHub(logger);
        var received = new List<SelfLearningEventKind>();
        using IDisposable first = hub.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        using IDisposable second = hub.Subscribe(e => received.Add(e.Kind));

        hub.Publish(new SelfLearningEvent(SelfLearningEventKind.RolledBack, At, "triage", 7, "Rolled back to v6."));

        received.Should().Equal(SelfLearningEventKind.RolledBack);
        logger.Entries.Should().ContainSingle().Which.Should().Match<CapturingLogger<SelfLearningEventHub>.Entry>(
            e => e.EventId == 5000 && e.Level == LogLevel.Error && e.Exception is InvalidOperationException && e.Message.Contains("RolledBack"));
    }

    [Fact]
    public void Subscribe_DisposeSubscription_StopsDelivery()
    {
        var hub = new SelfLearningEventHub();
        int count = 0;
        IDisposable subscription = hub.Subscribe(_ => count++);
        hub.Publish(new SelfLearningEvent(SelfLearningEventKind.Promoted, At, "triage", 8, "Promoted v8."));

        subscription.Dispose();
        subscription.Dispose();
        hub.Publish(new SelfLearningEvent(SelfLearningEventKind.Promoted, At, "triage", 9, "Promoted v9."));

        count.Should().Be(1);
        hub.SubscriberCount.Should().Be(0);
    }

    [Fact]
    public void SubscribeAndPublish_ManyThreads_EveryStableSubscriberGetsEveryEvent()
    {
        var hub = new SelfLearningEventHub();
        int delivered = 0;
        using IDisposable stable = hub.Subscribe(_ => Interlocked.Increment(ref delivered));
        var evt = new SelfLearningEvent(SelfLearningEventKind.DriftDetected, At, "triage", 1, "PSI 0.31.");

        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                if (t % 2 == 0)
                {
                    hub.Publish(evt);
                }
                else
                {
                    hub.Subscribe(_ => { }).Dispose();
                }
            }
        });

        delivered.Should().Be(4_000);
        hub.SubscriberCount.Should().Be(1);
    }

    [Fact]
    public void Event_PropertiesAreCopied_SoLaterChangesDoNotLeakIn()
    {
        var properties = new Dictionary<string, object?> { ["psi"] = 0.31 };
        var evt = new SelfLearningEvent(SelfLearningEventKind.DriftDetected, At, null, null, "Drift.", properties);

        properties["psi"] = 0.0;

        evt.Properties["psi"].Should().Be(0.31);
    }

    [Fact]
    public void Event_BadArguments_ThrowNamingTheArgument()
    {
        FluentActions.Invoking(() => new SelfLearningEvent((SelfLearningEventKind)99, At, null, null, "x"))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kind");
        FluentActions.Invoking(() => new SelfLearningEvent(SelfLearningEventKind.JobFailed, At, null, null, " "))
            .Should().Throw<ArgumentException>().WithParameterName("message");
        FluentActions.Invoking(() => new SelfLearningEventHub().Subscribe(null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("handler");
    }
}
