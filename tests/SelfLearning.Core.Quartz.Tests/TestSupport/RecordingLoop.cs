using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;

namespace SelfLearning.Quartz.Tests.TestSupport;

/// <summary>
/// The host's real loop behind a counter of the cycles started through it, whoever started them (a Quartz job or the
/// built-in background service), failing the first <see cref="FailuresLeft"/> cycles as a store that is down would, or
/// (<see cref="Hang"/>) never finishing one, as a cycle in a process about to be killed.
/// </summary>
internal sealed class RecordingLoop(ISelfLearningLoop inner, int failures) : ISelfLearningLoop
{
    /// <summary>Failures that make every cycle wait until it is cancelled.</summary>
    public const int Hang = -1;

    private int _cycles;
    private readonly bool _hang = failures == Hang;
    private int _failuresLeft = failures;

    /// <summary>Gets the number of cycles started.</summary>
    public int Cycles => Volatile.Read(ref _cycles);

    /// <summary>Gets how many of the next cycles still fail.</summary>
    public int FailuresLeft => Math.Max(0, Volatile.Read(ref _failuresLeft));

    /// <summary>Replaces the host's <see cref="ISelfLearningLoop"/> with a recording one around it.</summary>
    public static void Install(IServiceCollection services, int failures = 0)
    {
        ServiceDescriptor original = services.Single(d => d.ServiceType == typeof(ISelfLearningLoop));
        services.Replace(ServiceDescriptor.Singleton<ISelfLearningLoop>(sp => new RecordingLoop((ISelfLearningLoop)original.ImplementationFactory!(sp), failures)));
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<SelfLearningCycleResult> RunCycleAsync(string modelName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _cycles);
        if (_hang)
        {
            return Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith<SelfLearningCycleResult>(
                _ => throw new OperationCanceledException(cancellationToken), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return Interlocked.Decrement(ref _failuresLeft) >= 0
            ? throw new InvalidOperationException("The case store is unreachable.")
            : inner.RunCycleAsync(modelName, cancellationToken);
    }

    public LiveMetricsSnapshot? GetLiveMetrics(string modelName, int version) => inner.GetLiveMetrics(modelName, version);
}
