using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SelfLearning.Cases;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>Configures the self-learning loop: models, trainers and the loop's options.</summary>
public static class SelfLearningBuilderExtensions
{
    /// <summary>Adds a model the loop learns; its options are validated at start.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The model name (see <see cref="RegistryNames.ValidateModelName"/>).</param>
    /// <param name="configure">Configures the model.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddModel(this ISelfLearningBuilder builder, string name, Action<SelfLearningModelOptions> configure)
    {
        Guard.NotNull(configure);
        return AddModel(builder, name, (_, options) => configure(options));
    }

    /// <summary>Adds a model the loop learns, configured with services; its options are validated at start.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The model name (see <see cref="RegistryNames.ValidateModelName"/>).</param>
    /// <param name="configure">Configures the model from the host's services.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddModel(this ISelfLearningBuilder builder, string name, Action<IServiceProvider, SelfLearningModelOptions> configure)
    {
        Guard.NotNull(builder);
        RegistryNames.ValidateModelName(name);
        Guard.NotNull(configure);
        builder.Services.Configure<SelfLearningOptions>(o => o.Models.Add(name));
        builder.Services.AddOptions<SelfLearningModelOptions>(name).Configure<IServiceProvider>((options, sp) => configure(sp, options)).ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Adds a model type: a trainer and the loader of its artifacts, under the trainer's <see cref="ITrainer.ModelType"/> key
    /// (the loader's key must match). A model uses it by setting <see cref="SelfLearningModelOptions.TrainerType"/> to the key;
    /// a key registered again replaces the earlier registration, so a host can replace a built-in type.
    /// </summary>
    /// <typeparam name="TTrainer">The trainer.</typeparam>
    /// <typeparam name="TLoader">The loader of the trainer's artifacts.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddModelType<TTrainer, TLoader>(this ISelfLearningBuilder builder)
        where TTrainer : class, ITrainer
        where TLoader : class, IPredictorLoader
    {
        Guard.NotNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, TTrainer>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPredictorLoader, TLoader>());
        return builder;
    }

    /// <summary>Adds a model type from instances: a trainer and the loader of its artifacts, under one key.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="trainer">The trainer.</param>
    /// <param name="loader">The loader; its <see cref="IPredictorLoader.ModelType"/> must be the trainer's.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The two keys differ.</exception>
    public static ISelfLearningBuilder AddModelType(this ISelfLearningBuilder builder, ITrainer trainer, IPredictorLoader loader)
    {
        Guard.NotNull(builder);
        Guard.NotNull(trainer);
        Guard.NotNull(loader);
        if (!string.Equals(trainer.ModelType, loader.ModelType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The loader's model type '{loader.ModelType}' differs from the trainer's '{trainer.ModelType}'; both must name the same key.", nameof(loader));
        }

        builder.Services.AddSingleton(trainer);
        builder.Services.AddSingleton(loader);
        return builder;
    }

    /// <summary>Adds a trainer, resolved from the container; a trainer type added twice is registered once.</summary>
    /// <typeparam name="TTrainer">The trainer.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddTrainer<TTrainer>(this ISelfLearningBuilder builder)
        where TTrainer : class, ITrainer
    {
        Guard.NotNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainer, TTrainer>());
        return builder;
    }

    /// <summary>Adds a trainer instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="trainer">The trainer.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddTrainer(this ISelfLearningBuilder builder, ITrainer trainer)
    {
        Guard.NotNull(builder);
        Guard.NotNull(trainer);
        builder.Services.AddSingleton(trainer);
        return builder;
    }

    /// <summary>Configures the loop's options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder Configure(this ISelfLearningBuilder builder, Action<SelfLearningOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures the loop's options from the host's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder Configure(this ISelfLearningBuilder builder, Action<IServiceProvider, SelfLearningOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.AddOptions<SelfLearningOptions>().Configure<IServiceProvider>((options, sp) => configure(sp, options));
        return builder;
    }

    /// <summary>Configures live monitoring: window sizes, drift thresholds and the automatic roll back rule.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureMonitoring(this ISelfLearningBuilder builder, Action<MonitoringOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures live monitoring from the host's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureMonitoring(this ISelfLearningBuilder builder, Action<IServiceProvider, MonitoringOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.AddOptions<MonitoringOptions>().Configure<IServiceProvider>((options, sp) => configure(sp, options));
        return builder;
    }

    /// <summary>
    /// Adds the host's source of validated feedback cases; the loop collects, anonymises and splits them. A source that
    /// is also an <see cref="IFeedbackCaseWriter"/> (<see cref="InMemoryCaseSource"/>, <c>SqliteCaseSource</c>) is
    /// registered as the writer too, unless one is registered already, for <see cref="SelfLearningModelOptions.AppendOutcomesAsCases"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddCaseSource(this ISelfLearningBuilder builder, ICaseSource source)
    {
        Guard.NotNull(builder);
        Guard.NotNull(source);
        builder.Services.AddSingleton(source);
        if (source is IFeedbackCaseWriter writer)
        {
            builder.Services.TryAddSingleton(writer);
        }

        return builder;
    }

    /// <summary>
    /// Adds the host's source of validated feedback cases, resolved from the container; when <typeparamref name="TSource"/>
    /// is also an <see cref="IFeedbackCaseWriter"/>, the same instance is registered as the writer, unless one is registered already.
    /// </summary>
    /// <typeparam name="TSource">The source.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddCaseSource<TSource>(this ISelfLearningBuilder builder)
        where TSource : class, ICaseSource
    {
        Guard.NotNull(builder);
        if (!typeof(IFeedbackCaseWriter).IsAssignableFrom(typeof(TSource)))
        {
            builder.Services.TryAddSingleton<ICaseSource, TSource>();
            return builder;
        }

        // One instance behind both services, so the cases appended are the cases read.
        builder.Services.TryAddSingleton<TSource>();
        builder.Services.TryAddSingleton<ICaseSource>(sp => sp.GetRequiredService<TSource>());
        builder.Services.TryAddSingleton(sp => (IFeedbackCaseWriter)sp.GetRequiredService<TSource>());
        return builder;
    }

    /// <summary>
    /// Adds the writable case store that reviewed outcomes are appended to when a model's
    /// <see cref="SelfLearningModelOptions.AppendOutcomesAsCases"/> is on, for a host whose writer is not its
    /// <see cref="ICaseSource"/>; it should write where the case source reads, or the appended cases are never collected.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="writer">The writer.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddFeedbackCaseWriter(this ISelfLearningBuilder builder, IFeedbackCaseWriter writer)
    {
        Guard.NotNull(builder);
        Guard.NotNull(writer);
        builder.Services.AddSingleton(writer);
        return builder;
    }

    /// <summary>Configures case collection: filters and the train/validation/test split (the test split is the gate's holdout).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureCases(this ISelfLearningBuilder builder, Action<CaseCollectorOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures case collection from the host's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureCases(this ISelfLearningBuilder builder, Action<IServiceProvider, CaseCollectorOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.AddOptions<CaseCollectorOptions>().Configure<IServiceProvider>((options, sp) => configure(sp, options));
        return builder;
    }

    /// <summary>Configures anonymisation of collected cases (the pseudonymisation key is required).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureAnonymizer(this ISelfLearningBuilder builder, Action<CaseAnonymizerOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures anonymisation of collected cases from the host's services (for a key kept in a secret store).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder ConfigureAnonymizer(this ISelfLearningBuilder builder, Action<IServiceProvider, CaseAnonymizerOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.AddOptions<CaseAnonymizerOptions>().Configure<IServiceProvider>((options, sp) => configure(sp, options));
        return builder;
    }
}
