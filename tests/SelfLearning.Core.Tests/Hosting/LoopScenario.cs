using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// A synthetic host for the end-to-end loop: a raw model whose confidence s ~ U(0.5, 1) is overconfident, a
/// population that drifts, 2,000 predictions a day with their validated outcomes, and one cycle a day. Every
/// random draw is seeded and the clock is a <see cref="ManualTimeProvider"/>, so the whole run is deterministic.
/// </summary>
internal sealed class LoopScenario : IDisposable
{
    public const string Model = "triage";
    public const int RequestsPerDay = 2_000;

    private readonly Random _random = new(20240101);
    private readonly List<SelfLearningEvent> _events = [];
    private ServiceProvider _provider;
    private IDisposable _subscription;
    private int _request;

    public LoopScenario(Action<ISelfLearningBuilder>? stores = null)
    {
        Stores = stores;
        _provider = Build();
        _subscription = Subscribe();
    }

    /// <summary>The populations: P(the host is right | s).</summary>
    public enum Population
    {
        /// <summary>Overconfident: P = 0.2 + 0.6 s, in [0.5, 0.8] while s is in [0.5, 1].</summary>
        Original,

        /// <summary>Drifted: P = min(0.98, 2s − 0.5), in [0.5, 0.98]; the raw model and the first calibrator are now underconfident.</summary>
        Drifted,
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero));

    public ScenarioCaseSource Cases { get; } = new();

    public CalibrationTestTrainer Trainer { get; } = new();

    public Action<ISelfLearningBuilder>? Stores { get; }

    public IServiceProvider Services => _provider;

    public ISelfLearningLoop Loop => _provider.GetRequiredService<ISelfLearningLoop>();

    public IReadOnlyList<SelfLearningEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static double TrueProbability(Population population, double score) =>
        population == Population.Original ? 0.2 + (0.6 * score) : Math.Min(0.98, (2.0 * score) - 0.5);

    /// <summary>Serves a day of traffic: predict, then record each validated outcome and keep the case.</summary>
    public async Task ServeDayAsync(Population population)
    {
        var service = _provider.GetRequiredService<IPredictionService>();
        TimeSpan step = TimeSpan.FromDays(1) / RequestsPerDay;
        for (int i = 0; i < RequestsPerDay; i++)
        {
            _request++;
            string id = _request.ToString(CultureInfo.InvariantCulture);
            double score = 0.5 + (0.5 * _random.NextDouble());
            bool correct = _random.NextDouble() < TrueProbability(population, score);
            Prediction prediction = service.Predict(Model, "patient-" + id, score);
            await service.RecordOutcomeAsync(prediction, correct);
            Cases.Add("case-" + id, score, correct);
            Clock.Advance(step);
        }
    }

    public Task<SelfLearningCycleResult> CycleAsync() => Loop.RunCycleAsync(Model);

    /// <summary>Disposes the services (as a host stopping) and builds new ones on the same stores, clock and cases.</summary>
    public async Task RestartAsync()
    {
        _subscription.Dispose();
        await _provider.DisposeAsync();
        _provider = Build();
        _subscription = Subscribe();
        await Loop.InitializeAsync();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _provider.Dispose();
    }

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<ICycleDataSource>(Cases);
        var builder = services.AddSelfLearning(o => o.RunInBackground = false)
            .AddTrainer(Trainer)
            .AddModel(Model, m =>
            {
                m.TrainerType = CalibrationTestTrainer.Type;
                m.MinimumCases = 1_000;
                m.NewCasesThreshold = 3_000;
                m.RampShares = [0.1, 0.5];
                m.MinimumSamplesPerArm = 100;
                m.MinimumStepDuration = TimeSpan.FromDays(1);
                m.Gate.BootstrapIterations = 200;
            })
            .ConfigureMonitoring(o => o.WindowSize = RequestsPerDay);
        Stores?.Invoke(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return provider;
    }

    private IDisposable Subscribe() => _provider.GetRequiredService<ISelfLearningEvents>().Subscribe(e =>
    {
        lock (_events)
        {
            _events.Add(e);
        }
    });
}
