using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// A synthetic host with a model on features, driven through simulated weeks by the public API only: reviewed cases go
/// to the host's <see cref="ICaseSource"/>, predictions are served by <see cref="IPredictionService"/> and their true
/// outcomes recorded, and the loop runs one cycle at a time on a <see cref="ManualTimeProvider"/>. The stores are in
/// memory or SQLite (a restart disposes the services and builds new ones on the same stores).
/// </summary>
internal sealed class FeatureWeeksScenario : IDisposable
{
    public const string Model = "segment-model";

    /// <summary>The scenario's pseudonymisation key (32 fixed bytes, Base64): a test key, never a real one.</summary>
    public static readonly string PseudonymizationKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private readonly ShiftingPopulation _population;
    private readonly CaseStore _caseStore;
    private readonly Action<ISelfLearningBuilder>? _stores;
    private readonly List<SelfLearningEvent> _events = [];
    private ICaseSource _cases;
    private ServiceProvider _provider;
    private IDisposable _subscription;
    private int _unit;

    public FeatureWeeksScenario(string modelType, TaskKind task, Action<ISelfLearningBuilder>? stores = null, CaseStore? cases = null, int seed = 13)
    {
        ModelType = modelType;
        _population = new ShiftingPopulation(task, seed);
        _stores = stores;
        _caseStore = cases ?? CaseStore.InMemory();
        _cases = _caseStore.Open();
        _provider = Build();
        _subscription = Subscribe();
    }

    public string ModelType { get; }

    public TaskKind Task => _population.Task;

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _provider;

    public ISelfLearningLoop Loop => _provider.GetRequiredService<ISelfLearningLoop>();

    public IModelRegistry Registry => _provider.GetRequiredService<IModelRegistry>();

    public ITrainingJobStore Jobs => _provider.GetRequiredService<ITrainingJobStore>();

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

    /// <summary>Whether the task has outcomes to record (everything but a clustering).</summary>
    public bool HasOutcomes => Task != TaskKind.Clustering;

    /// <summary>Reviewers validate <paramref name="count"/> new cases of the population; each becomes a case the loop can collect.</summary>
    public async Task ReviewAsync(ShiftingPopulation.Regime regime, int count)
    {
        var reviewed = new List<FeedbackCase>(count);
        for (int i = 0; i < count; i++)
        {
            var (features, truth) = _population.Next(regime);
            string id = NextUnit();
            reviewed.Add(new FeedbackCase
            {
                Id = "case-" + id,
                ModelName = Model,
                ModelVersion = "host",
                PredictedLabel = truth,
                PredictedConfidence = 0.9,
                ValidatedLabel = truth,
                Input = new CaseInput { Features = ImmutableArray.Create(features) },
                Status = ValidationStatus.Validated,
                ReviewerId = "reviewer-" + (_unit % 5).ToString(CultureInfo.InvariantCulture),
                ReviewerCertainty = 0.95,
                CreatedAt = Clock.GetUtcNow(),
                ValidatedAt = Clock.GetUtcNow(),
            });
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await _caseStore.Add(_cases, reviewed);
    }

    /// <summary>Serves <paramref name="count"/> predictions and records each one's true outcome (a clustering has none).</summary>
    /// <returns>The served predictions.</returns>
    public async Task<IReadOnlyList<Prediction>> ServeAsync(ShiftingPopulation.Regime regime, int count)
    {
        var service = _provider.GetRequiredService<IPredictionService>();
        var served = new List<Prediction>(count);
        for (int i = 0; i < count; i++)
        {
            var (features, truth) = _population.Next(regime);
            Prediction prediction = service.Predict(Model, "unit-" + NextUnit(), new CaseInput { Features = ImmutableArray.Create(features) });
            served.Add(prediction);
            bool recorded = Task switch
            {
                TaskKind.Regression => await service.RecordOutcomeAsync(prediction, double.Parse(truth, CultureInfo.InvariantCulture)),
                TaskKind.Clustering => false,
                _ => await service.RecordOutcomeAsync(prediction, truth),
            };
            if (HasOutcomes && !recorded)
            {
                throw new InvalidOperationException($"The outcome of prediction {prediction.Id} was not recorded.");
            }

            Clock.Advance(TimeSpan.FromSeconds(30));
        }

        return served;
    }

    public Task<SelfLearningCycleResult> CycleAsync() => Loop.RunCycleAsync(Model);

    /// <summary>Moves the clock to the next day at 08:00.</summary>
    public void NextDay()
    {
        DateTimeOffset now = Clock.GetUtcNow();
        Clock.Advance(now.Date.AddDays(1).AddHours(8) - now.UtcDateTime);
    }

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

    private string NextUnit() => (++_unit).ToString(CultureInfo.InvariantCulture);

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(_cases)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = PseudonymizationKey)
            .AddModel(Model, m =>
            {
                m.TrainerType = ModelType;
                m.Parameters = Task == TaskKind.Clustering ? TrainingParameters.Empty.With("k", 3) : TrainingParameters.Empty;
                m.MinimumCases = 300;
                m.NewCasesThreshold = 300;
                m.RampShares = [0.2, 0.5];
                m.MinimumSamplesPerArm = 100;
                m.MinimumStepDuration = TimeSpan.FromDays(1);
                m.Gate.MinimumHoldoutSize = 100;
                m.Gate.BootstrapIterations = 200;
            })
            .ConfigureMonitoring(o => o.WindowSize = 1_000);
        _stores?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Where the scenario keeps its cases: how to open the host's case source (again after a restart) and add reviewed cases to it.</summary>
    /// <param name="Open">Opens the case source on the store.</param>
    /// <param name="Add">Adds cases to an opened source.</param>
    public sealed record CaseStore(Func<ICaseSource> Open, Func<ICaseSource, IReadOnlyList<FeedbackCase>, ValueTask> Add)
    {
        /// <summary>One <see cref="InMemoryCaseSource"/> kept across restarts, as a host's own database would be.</summary>
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
