using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SelfLearning.Serving;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the self-learning loop in a host's services.</summary>
public static class SelfLearningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the self-learning loop: the prediction service, the loop, the background service that drives it,
    /// in-memory stores (replace them with <c>UseSqlite(...)</c> or your own registrations) and option validation at
    /// start. Safe to call more than once; registrations the host made first are kept.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Configures the loop's options; optional.</param>
    /// <returns>A builder to add models, trainers and case sources.</returns>
    public static ISelfLearningBuilder AddSelfLearning(this IServiceCollection services, Action<SelfLearningOptions>? configure = null)
    {
        Guard.NotNull(services);
        services.AddOptions();
        services.AddLogging();
        services.AddOptions<SelfLearningOptions>().ValidateOnStart();
        services.AddOptions<ExperimentDecisionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExperimentDecisionOptions>, ExperimentDecisionOptionsValidator>());

        // The collector's test split is the gate's holdout: by default 50% train, 20% validation, 30% held out.
        services.AddOptions<CaseCollectorOptions>().Configure(o => (o.TrainFraction, o.ValidationFraction, o.TestFraction) = (0.5, 0.2, 0.3))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaseCollectorOptions>, CaseCollectorOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaseCollectorOptions>, OptionsChecks<CaseCollectorOptions>>(
            _ => new OptionsChecks<CaseCollectorOptions>($"{HostingConstants.Section}:Cases", o => CaseCollector.Validate(o))));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SelfLearningOptions>, SelfLearningOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SelfLearningModelOptions>, SelfLearningOptionsValidator>());
        services.AddOptions<CaseAnonymizerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaseAnonymizerOptions>, SelfLearningOptionsValidator>());

        services.TryAddSingleton<IModelRegistry>(sp => new InMemoryModelRegistry(
            sp.GetRequiredService<TimeProvider>(), sp.GetService<Logging.ILogger<InMemoryModelRegistry>>()));
        services.AddOptions<ExperimentStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExperimentStoreOptions>, ExperimentStoreOptionsValidator>());
        services.TryAddSingleton<IExperimentStore>(sp => new InMemoryExperimentStore(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ExperimentStoreOptions>>().Value));
        services.TryAddSingleton<IAbTestRouter, AbTestRouter>();
        services.TryAddSingleton<IChampionActivator>(sp => new RegistryChampionActivator(
            sp.GetRequiredService<IModelRegistry>(), sp.GetRequiredService<IOptions<SelfLearningOptions>>().Value.Actor));
        services.TryAddSingleton<IExperimentDecisionEngine, ExperimentDecisionEngine>();

        services.TryAddSingleton<ITrainingJobStore, InMemoryTrainingJobStore>();
        services.TryAddSingleton<CaseSourceDataSource>();
        // The built-in model types register like a host's own: a trainer and a loader under one key.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, CalibrationTrainer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, LogisticRegressionTrainer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, SoftmaxRegressionTrainer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, RidgeRegressionTrainer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, KMeansTrainer>());
        if (!services.Any(d => d.ServiceType == typeof(BuiltInLoadersMarker)))
        {
            services.AddSingleton<BuiltInLoadersMarker>();
            foreach (IPredictorLoader loader in BuiltInPredictorLoader.All())
            {
                services.AddSingleton(loader);
            }
        }

        services.TryAddSingleton(sp => new ModelTypes(sp.GetServices<ITrainer>(), sp.GetServices<IPredictorLoader>()));
        services.TryAddSingleton(sp => new LiveErrorWindows(sp.GetRequiredService<IOptions<MonitoringOptions>>()));
        services.TryAddSingleton(_ => new RecordedOutcomes(HostingConstants.RecordedOutcomeCapacity));
        services.TryAddSingleton<ServingStates>();
        services.AddOptions<MonitoringOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>());
        services.TryAddSingleton<SelfLearningEventHub>();
        services.TryAddSingleton<ISelfLearningEvents>(sp => sp.GetRequiredService<SelfLearningEventHub>());
        services.TryAddSingleton<ISelfLearningEventPublisher>(sp => sp.GetRequiredService<SelfLearningEventHub>());
        services.TryAddSingleton(sp => new LiveMetrics(sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AutoRollbackPolicy(sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetService<Logging.ILogger<AutoRollbackPolicy>>()));
        services.TryAddSingleton(sp => new SelfLearningTelemetry(sp.GetRequiredService<LiveMetrics>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<DriftMonitorSet>();
        services.TryAddSingleton<IDriftStatusProvider>(sp => sp.GetRequiredService<DriftMonitorSet>());
        services.TryAddSingleton(sp => new DriftWatch(
            sp.GetRequiredService<DriftMonitorSet>(), sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Logging.ILoggerFactory>()));
        services.TryAddSingleton<LoopEvents>();
        services.TryAddSingleton<ServedVersions>();
        services.TryAddSingleton<TrainingTriggers>();
        services.TryAddSingleton<LoopTrainingData>();
        services.AddOptions<TrainingEngineOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrainingEngineOptions>, OptionsChecks<TrainingEngineOptions>>(
            _ => new OptionsChecks<TrainingEngineOptions>(nameof(TrainingEngineOptions), o => o.Validate())));
        // The loop trains through the job engine: every training is a job with priority, retries, lease and progress.
        services.TryAddSingleton(sp => new TrainingJobEngine(
            sp.GetRequiredService<ITrainingJobStore>(),
            sp.GetRequiredService<ModelTypes>().Trainers,
            sp.GetRequiredService<LoopTrainingData>(),
            sp.GetRequiredService<IOptions<TrainingEngineOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Logging.ILogger<TrainingJobEngine>>()));
        services.TryAddSingleton<TrainingEngineRunner>();
        services.TryAddSingleton<CandidateBuilder>();
        services.TryAddSingleton<RolloutCoordinator>();
        services.TryAddSingleton<ChampionWatch>();
        services.TryAddSingleton<SelfLearningLoop>();
        services.TryAddSingleton<ISelfLearningLoop>(sp => sp.GetRequiredService<SelfLearningLoop>());
        services.TryAddSingleton(sp => new OutcomeCases(
            sp.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IFeedbackCaseWriter>()));
        services.TryAddSingleton<ServingAttributes>();
        services.TryAddSingleton<IPredictionService, PredictionService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SelfLearningBackgroundService>());
        return new SelfLearningBuilder(services);
    }

    /// <summary>Marks that the built-in loaders are registered, so a second call adds them once.</summary>
    private sealed class BuiltInLoadersMarker;
}
