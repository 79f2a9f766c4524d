using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.PostgreSql.Hosting;

/// <summary>Keeps the self-learning loop's state in a PostgreSQL database shared by every instance of the host.</summary>
public static class PostgreSqlSelfLearningBuilderExtensions
{
    /// <summary>
    /// Stores the model registry, the experiments (canaries, tallies, decisions), the training jobs and, unless the host
    /// registered its own case source before this call, the feedback cases in the PostgreSQL database at
    /// <paramref name="connectionString"/>, replacing the in-memory defaults, so every instance on the database shares one
    /// loop state. Experiment unit ids are kept as fingerprints keyed with the anonymizer's pseudonymisation key when one is
    /// configured.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UsePostgreSql(this ISelfLearningBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(options => options.ConnectionString = connectionString);
    }

    /// <summary>Stores the loop's state in PostgreSQL (see <see cref="UsePostgreSql(ISelfLearningBuilder, string)"/>), configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UsePostgreSql(this ISelfLearningBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UsePostgreSql((_, options) => configure(options));
    }

    /// <summary>Stores the loop's state in PostgreSQL (see <see cref="UsePostgreSql(ISelfLearningBuilder, string)"/>), configured from the host's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UsePostgreSql(this ISelfLearningBuilder builder, Action<IServiceProvider, PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlStoreOptions>()
            .Configure<IServiceProvider>((options, sp) => configure(sp, options))
            .Validate(
                options => !string.IsNullOrWhiteSpace(options.ConnectionString),
                "SelfLearning:PostgreSql:ConnectionString is empty; UsePostgreSql needs the connection string of the database.")
            .ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelRegistry>(sp => new PostgreSqlModelRegistry(
            ConnectionString(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PostgreSqlModelRegistry>>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IExperimentStore>(sp => new PostgreSqlExperimentStore(
            ConnectionString(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptions<ExperimentStoreOptions>>()?.Value,
            sp.GetService<ILogger<PostgreSqlExperimentStore>>(),
            StoreUnitKey.From(sp))));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITrainingJobStore>(sp => new PostgreSqlTrainingJobStore(
            ConnectionString(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PostgreSqlTrainingJobStore>>())));
        if (!builder.Services.Any(d => d.ServiceType == typeof(ICaseSource)))
        {
            // One instance behind both services, so the outcomes appended as cases are the cases collected.
            builder.Services.TryAddSingleton(sp => new PostgreSqlCaseSource(
                ConnectionString(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PostgreSqlCaseSource>>()));
            builder.Services.AddSingleton<ICaseSource>(sp => sp.GetRequiredService<PostgreSqlCaseSource>());
            builder.Services.TryAddSingleton<IFeedbackCaseWriter>(sp => sp.GetRequiredService<PostgreSqlCaseSource>());
        }

        return builder;
    }

    private static string ConnectionString(IServiceProvider services) => services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.ConnectionString!;
}
