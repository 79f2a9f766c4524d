using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Monitoring;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// A synthetic host for the end-to-end loop: a raw model whose confidence s ~ U(0.5, 1) is overconfident, a
/// population that drifts, 2,000 predictions a day with their validated outcomes kept as feedback cases in a real
/// <see cref="ICaseSource"/> (in memory, or SQLite that survives a restart), and one cycle a day. Every random draw
/// is seeded and the clock is a <see cref="ManualTimeProvider"/>, so the whole run is deterministic.
/// </summary>
internal sealed class LoopScenario : IDisposable
{
    public const string Model = "triage";
    public const int RequestsPerDay = 2_000;

    /// <summary>The scenario's pseudonymisation key (32 fixed bytes, Base64): a test key, never a real one.</summary>
    public static readonly string PseudonymizationKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private readonly Random _random = new(20240101);
    private readonly CaseStore _caseStore;
    private ICaseSource _cases;
    private readonly List<SelfLearningEvent> _events = [];
    private ServiceProvider _provider;
    private IDisposable _subscription;
    private int _request;

    public LoopScenario(Action<ISelfLearningBuilder>? stores = null, CaseStore? cases = null)
    {
        Stores = stores;
        _caseStore = cases ?? CaseStore.InMemory();
        _cases = _caseStore.Open();
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

        /// <summary>Broken upstream (a stale feed): P = 0.2 + 0.3 s, in [0.35, 0.5]; the host is now right less than half the time.</summary>
        Degraded,
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the host's case source the loop reads (a new instance on the same store after a restart).</summary>
    public ICaseSource Cases => _cases;

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
        population switch
        {
            Population.Original => 0.2 + (0.6 * score),
            Population.Drifted => Math.Min(0.98, (2.0 * score) - 0.5),
            _ => 0.2 + (0.3 * score),
        };

    /// <summary>
    /// Serves a day of traffic: predict, record each validated outcome, and keep the reviewed case (the host's
    /// "urgent" prediction with the host's confidence, confirmed or corrected by a reviewer) in the case store.
    /// The host's confidence is drawn from U(<paramref name="lowestScore"/>, 1); raising it shifts the served population.
    /// </summary>
    public Task ServeDayAsync(Population population, double lowestScore = 0.5) =>
        ServeDayAsync((_, score) => TrueProbability(population, score), lowestScore);

    /// <summary>
    /// Serves a day of traffic where the chance that the host is right depends on the prediction that served it (for
    /// example a stale feed behind the champion's pipeline only): <paramref name="trueProbability"/> of the prediction and score.
    /// </summary>
    public async Task ServeDayAsync(Func<Prediction, double, double> trueProbability, double lowestScore = 0.5)
    {
        var service = _provider.GetRequiredService<IPredictionService>();
        TimeSpan step = TimeSpan.FromDays(1) / RequestsPerDay;
        var day = new List<FeedbackCase>(RequestsPerDay);
        for (int i = 0; i < RequestsPerDay; i++)
        {
            _request++;
            string id = _request.ToString(CultureInfo.InvariantCulture);
            double score = lowestScore + ((1.0 - lowestScore) * _random.NextDouble());
            double draw = _random.NextDouble();
            Prediction prediction = service.Predict(Model, "patient-" + id, score);
            bool correct = draw < trueProbability(prediction, score);
            await service.RecordOutcomeAsync(prediction, correct);
            day.Add(HostFeedback.Case(CaseIdPrefix + id, score, correct, Clock.GetUtcNow(), "reviewer-" + (_request % 5).ToString(CultureInfo.InvariantCulture), prediction.ModelVersion.ToString(CultureInfo.InvariantCulture)));
            Clock.Advance(step);
        }

        await _caseStore.Add(_cases, day);
    }

    /// <summary>The prefix of the host's case ids ("case-1", "case-2", …), which must never reach the registry.</summary>
    public const string CaseIdPrefix = "case-";

    public Task<SelfLearningCycleResult> CycleAsync() => Loop.RunCycleAsync(Model);

    /// <summary>Disposes the services (as a host stopping) and builds new ones on the same stores, clock and cases.</summary>
    public async Task RestartAsync()
    {
        _subscription.Dispose();
        await _provider.DisposeAsync();
        _cases = _caseStore.Open();
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
        var builder = services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(_cases)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = PseudonymizationKey)
            .AddTrainer(Trainer)
            .AddModel(Model, m =>
            {
                m.TrainerType = CalibrationTestTrainer.Type;
                m.MinimumCases = 1_000;
                m.NewCasesThreshold = 3_000;
                m.RetrainOnDrift = true;
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

    /// <summary>Where the scenario keeps its cases: how to open the host's case source (again after a restart) and add a day's cases to it.</summary>
    /// <param name="Open">Opens the case source on the store.</param>
    /// <param name="Add">Adds cases to an opened source.</param>
    public sealed record CaseStore(Func<ICaseSource> Open, Func<ICaseSource, IReadOnlyList<FeedbackCase>, ValueTask> Add)
    {
        /// <summary>One <see cref="InMemoryCaseSource"/> kept by the scenario across restarts, as a host's own database would be.</summary>
        public static CaseStore InMemory()
        {
            var source = new InMemoryCaseSource();
            return new CaseStore(() => source, (_, cases) =>
            {
                source.AddRange(cases);
                return ValueTask.CompletedTask;
            });
        }
    }

    private IDisposable Subscribe() => _provider.GetRequiredService<ISelfLearningEvents>().Subscribe(e =>
    {
        lock (_events)
        {
            _events.Add(e);
        }
    });
}
