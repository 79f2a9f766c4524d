using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Sqlite.Hosting;

/// <summary>Keeps the self-learning loop's state in an embedded SQLite database.</summary>
public static class SqliteSelfLearningBuilderExtensions
{
    /// <summary>
    /// Stores the model registry, the experiments (canaries, tallies, decisions) and the training jobs in the SQLite database at
    /// <paramref name="databasePath"/>, replacing the in-memory defaults, so a restarted host continues where it stopped.
    /// Experiment unit ids are kept as fingerprints keyed with the anonymizer's pseudonymisation key when one is configured.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UseSqlite(this ISelfLearningBuilder builder, string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseSqlite(options => options.DatabasePath = databasePath);
    }

    /// <summary>Stores the model registry and the experiments in SQLite, replacing the in-memory default.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UseSqlite(this ISelfLearningBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseSqlite((_, options) => configure(options));
    }

    /// <summary>Stores the model registry and the experiments in SQLite, configured from the host's services, replacing the in-memory default.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UseSqlite(this ISelfLearningBuilder builder, Action<IServiceProvider, SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteStoreOptions>()
            .Configure<IServiceProvider>((options, sp) => configure(sp, options))
            .Validate(
                options => !string.IsNullOrWhiteSpace(options.DatabasePath),
                "SelfLearning:Sqlite:DatabasePath is empty; UseSqlite needs the path of the database file.")
            .ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelRegistry>(sp => new SqliteModelRegistry(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DatabasePath!,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SqliteModelRegistry>>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IExperimentStore>(sp => new SqliteExperimentStore(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DatabasePath!,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptions<ExperimentStoreOptions>>()?.Value,
            sp.GetService<ILogger<SqliteExperimentStore>>(),
            StoreUnitKey.From(sp))));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITrainingJobStore>(sp => new SqliteTrainingJobStore(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DatabasePath!,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SqliteTrainingJobStore>>())));
        return builder;
    }
}
