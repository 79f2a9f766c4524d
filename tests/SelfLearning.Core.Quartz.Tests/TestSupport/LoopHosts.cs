using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Quartz.Tests.TestSupport;

/// <summary>Hosts running the self-learning loop with one model on a Quartz scheduler configured by the test.</summary>
internal static class LoopHosts
{
    /// <summary>The model every host learns.</summary>
    public const string Model = "triage";

    /// <summary>A Quartz cron expression firing every second.</summary>
    public const string EverySecond = "* * * * * ?";

    /// <summary>The name every node of the test clusters gives its scheduler, which makes them one cluster.</summary>
    public const string ClusterName = "selflearning-cluster";

    /// <summary>
    /// A cluster node: the loop's host with its model's cycle every second on a scheduler clustered through Quartz's
    /// ADO.NET job store on the PostgreSQL <paramref name="database"/>, with the test's listener.
    /// </summary>
    public static IHost ClusterNode(string database, string instanceId, Action<IQuartzBuilder> listeners, int failures = 0) => Build(
        q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = ClusterName;
                s.InstanceId = instanceId;
                s.IdleWaitTime = TimeSpan.FromSeconds(1); // the least Quartz allows: an idle node looks for due triggers every second
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(database);
                store.UseClustering(c =>
                {
                    // A node that stops checking in is found dead after about two seconds, and its running firing recovered.
                    c.CheckinInterval = TimeSpan.FromSeconds(1);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(1);
                });
            });
            listeners(q);
        },
        s => s.CronSchedules[Model] = EverySecond,
        failures);

    /// <summary>
    /// A host with the loop (in-memory stores, an empty case source, so every cycle is idle), the model's cycles on
    /// Quartz, the test's scheduler configuration and a <see cref="RecordingLoop"/> failing the first <paramref name="failures"/> cycles.
    /// </summary>
    public static IHost Build(Action<IQuartzBuilder> quartz, Action<SelfLearningQuartzOptions> schedules, int failures = 0, Action<IServiceCollection>? services = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddQuartz(quartz);
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddSelfLearning()
            .AddCaseSource(new InMemoryCaseSource())
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(SHA256.HashData("quartz tests"u8)))
            .AddModel(Model, m => m.TrainerType = CalibrationTrainer.Key)
            .UseQuartz(schedules);
        RecordingLoop.Install(builder.Services, failures);
        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
