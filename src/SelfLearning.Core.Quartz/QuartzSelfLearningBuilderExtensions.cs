using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SelfLearning.Hosting;

namespace SelfLearning.Quartz;

/// <summary>Runs the self-learning loop's cycles as jobs of the host's Quartz.NET scheduler.</summary>
public static class QuartzSelfLearningBuilderExtensions
{
    /// <summary>
    /// Runs each model's cycle as a job of the host's Quartz scheduler, on a cron schedule per model (or
    /// <see cref="SelfLearningQuartzOptions.DefaultCronSchedule"/>), instead of on the built-in background service's
    /// interval. The background service still loads what every model serves at start, but runs no cycle
    /// (<see cref="SelfLearningOptions.RunInBackground"/> is turned off after every other configuration). The host
    /// registers and configures the scheduler itself (<c>services.AddQuartz(…)</c>: job store, clustering, thread pool)
    /// and starts it (<c>services.AddQuartzHostedService(…)</c>); this only adds one job and one cron trigger per model,
    /// when the host starts. The options are validated at start.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the schedules.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder UseQuartz(this ISelfLearningBuilder builder, Action<SelfLearningQuartzOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseQuartz((_, options) => configure(options));
    }

    /// <summary>Runs each model's cycle as a job of the host's Quartz scheduler, with schedules configured from the host's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the schedules from the host's services.</param>
    /// <returns>The builder.</returns>
    /// <seealso cref="UseQuartz(ISelfLearningBuilder, Action{SelfLearningQuartzOptions})"/>
    public static ISelfLearningBuilder UseQuartz(this ISelfLearningBuilder builder, Action<IServiceProvider, SelfLearningQuartzOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SelfLearningQuartzOptions>().Configure<IServiceProvider>((options, sp) => configure(sp, options)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SelfLearningQuartzOptions>, SelfLearningQuartzOptionsValidator>());
        builder.Services.PostConfigure<SelfLearningOptions>(options => options.RunInBackground = false);
        builder.Services.TryAddTransient<SelfLearningCycleJob>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SelfLearningQuartzSchedules>());
        return builder;
    }
}
