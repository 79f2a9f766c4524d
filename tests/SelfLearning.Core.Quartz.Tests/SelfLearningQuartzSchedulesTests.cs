using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using SelfLearning.Hosting;
using SelfLearning.Quartz.Tests.TestSupport;

namespace SelfLearning.Quartz.Tests;

/// <summary>The jobs and triggers added to the host's scheduler at start, on an in-memory scheduler that is never started (nothing fires).</summary>
public sealed class SelfLearningQuartzSchedulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 20, 0, TimeSpan.Zero);

    [Fact]
    public void CycleJob_Model_IsNamedAfterItInTheGroupDisallowsConcurrentExecutionAndRequestsRecovery()
    {
        IJobDetail job = SelfLearningQuartzSchedules.CycleJob("triage", new SelfLearningQuartzOptions { JobGroup = "learning" });

        job.Key.Should().Be(new JobKey("triage", "learning"));
        job.JobType.Type.Should().Be<SelfLearningCycleJob>();
        job.ConcurrentExecutionDisallowed.Should().BeTrue("two cycles of one model never run at once, on one node or across a cluster");
        job.RequestsRecovery.Should().BeTrue();
        job.Durable.Should().BeFalse();
    }

    [Theory]
    [InlineData(SelfLearningMisfirePolicy.FireOnceNow, CronTriggerMisfireInstruction.FireAndProceed)]
    [InlineData(SelfLearningMisfirePolicy.SkipToNextFireTime, CronTriggerMisfireInstruction.DoNothing)]
    public void CycleTrigger_Policy_MapsToQuartzsCronMisfireInstruction(SelfLearningMisfirePolicy policy, CronTriggerMisfireInstruction expected)
    {
        ICronTrigger trigger = SelfLearningQuartzSchedules.CycleTrigger("triage", new SelfLearningQuartzOptions { MisfirePolicy = policy }, new FakeTimeProvider(Now));

        trigger.MisfireInstruction.Should().Be(expected);
    }

    [Fact]
    public void CycleTrigger_ModelWithAndWithoutItsOwnSchedule_UsesItOrTheDefaultInTheOptionsTimeZoneFromTheSchedulersNow()
    {
        var options = new SelfLearningQuartzOptions { DefaultCronSchedule = "0 0 */6 * * ?", TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo") };
        options.CronSchedules["referral"] = "0 30 2 ? * MON";

        ICronTrigger triage = SelfLearningQuartzSchedules.CycleTrigger("triage", options, new FakeTimeProvider(Now));
        ICronTrigger referral = SelfLearningQuartzSchedules.CycleTrigger("referral", options, new FakeTimeProvider(Now));

        triage.Key.Should().Be(new TriggerKey("triage", "SelfLearning"));
        triage.JobKey.Should().Be(new JobKey("triage", "SelfLearning"));
        triage.CronExpressionString.Should().Be("0 0 */6 * * ?");
        triage.TimeZone.Id.Should().Be("Asia/Tokyo");
        triage.StartTimeUtc.Should().Be(Now, "the trigger starts at the scheduler's now, not the machine's");
        // 08:20 UTC is 17:20 in Tokyo: the next six-hourly time there is 18:00, 09:00 UTC.
        triage.GetFireTimeAfter(Now).Should().Be(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        referral.CronExpressionString.Should().Be("0 30 2 ? * MON");
        referral.JobKey.Should().Be(new JobKey("referral", "SelfLearning"));
    }

    [Fact]
    public async Task StartAsync_TwoModels_StoresOneJobAndOneTriggerEach()
    {
        using IHost host = SchedulerHost();
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await Schedules(host, new SelfLearningQuartzOptions()).StartAsync(default);

        (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("SelfLearning"))).Select(k => k.Name).Should().BeEquivalentTo(["referral", "triage"]);
        (await scheduler.GetTriggersOfJob(new JobKey("referral", "SelfLearning"))).Should().ContainSingle()
            .Which.Should().BeAssignableTo<ICronTrigger>().Which.CronExpressionString.Should().Be("0 0 * * * ?");
    }

    [Fact]
    public async Task StartAsync_TriggerAlreadyStoredAsConfigured_KeepsTheStoredOne()
    {
        using IHost host = SchedulerHost();
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var options = new SelfLearningQuartzOptions();
        await Schedules(host, options).StartAsync(default);

        // Mark the stored trigger as another instance's start would have left it; a second start must not replace it.
        var key = new TriggerKey("triage", "SelfLearning");
        ITrigger stored = (await scheduler.GetTrigger(key))!;
        ITrigger marked = stored.GetTriggerBuilder().UsingJobData("stored-by", "the first instance").Build();
        await scheduler.ScheduleJob(marked, new ScheduleJobOptions { Replace = true });
        await Schedules(host, options).StartAsync(default);

        (await scheduler.GetTrigger(key))!.JobDataMap.GetString("stored-by").Should().Be("the first instance");
    }

    [Fact]
    public async Task StartAsync_ScheduleChangedSinceStored_ReplacesTheTrigger()
    {
        using IHost host = SchedulerHost();
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await Schedules(host, new SelfLearningQuartzOptions()).StartAsync(default);

        var changed = new SelfLearningQuartzOptions { MisfirePolicy = SelfLearningMisfirePolicy.SkipToNextFireTime };
        changed.CronSchedules["triage"] = "0 0 4 * * ?";
        await Schedules(host, changed).StartAsync(default);

        var trigger = (ICronTrigger)(await scheduler.GetTrigger(new TriggerKey("triage", "SelfLearning")))!;
        trigger.CronExpressionString.Should().Be("0 0 4 * * ?");
        trigger.MisfireInstruction.Should().Be(CronTriggerMisfireInstruction.DoNothing);
        (await scheduler.GetTriggersOfJob(new JobKey("triage", "SelfLearning"))).Should().ContainSingle();
    }

    [Fact]
    public async Task StartAsync_NoQuartzSchedulerRegistered_ThrowsNamingAddQuartz()
    {
        using ServiceProvider services = new ServiceCollection().BuildServiceProvider();
        var schedules = new SelfLearningQuartzSchedules(
            services, Options.Create(LoopOptions()), Options.Create(new SelfLearningQuartzOptions()), NullLogger<SelfLearningQuartzSchedules>.Instance);

        (await FluentActions.Awaiting(() => schedules.StartAsync(default)).Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().Contain("services.AddQuartz(");
    }

    [Fact]
    public async Task StartAsync_NamedSchedulerNotRegistered_ThrowsNamingIt()
    {
        using IHost host = SchedulerHost();

        (await FluentActions.Awaiting(() => Schedules(host, new SelfLearningQuartzOptions { SchedulerName = "reporting" }).StartAsync(default))
            .Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().Contain("SchedulerName is 'reporting'");
    }

    [Fact]
    public async Task StartAsync_NamedScheduler_AddsTheJobsThereAndNotToTheDefaultOne()
    {
        using IHost host = SchedulerHost(s => s.AddQuartz("learning", q => q.UseInMemoryStore()));
        IScheduler scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await Schedules(host, new SelfLearningQuartzOptions { SchedulerName = "learning" }).StartAsync(default);

        IScheduler learning = (await host.Services.GetRequiredService<ISchedulerFactory>().LookupScheduler("learning"))!;
        (await learning.GetJobKeys(GroupMatcher<JobKey>.AnyGroup())).Should().HaveCount(2);
        (await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup())).Should().BeEmpty();
    }

    /// <summary>A built, never started host with the loop's two models and the default in-memory scheduler, on a fake clock.</summary>
    private static IHost SchedulerHost(Action<IServiceCollection>? services = null) => LoopHosts.Build(
        q =>
        {
            q.UseInMemoryStore();
            q.UseTimeProvider(new FakeTimeProvider(Now));
        },
        _ => { },
        services: s =>
        {
            s.AddSelfLearning().AddModel("referral", _ => { });
            services?.Invoke(s);
        });

    private static SelfLearningQuartzSchedules Schedules(IHost host, SelfLearningQuartzOptions options) => new(
        host.Services,
        host.Services.GetRequiredService<IOptions<SelfLearningOptions>>(),
        Options.Create(options),
        NullLogger<SelfLearningQuartzSchedules>.Instance);

    private static SelfLearningOptions LoopOptions()
    {
        var options = new SelfLearningOptions();
        options.Models.Add("triage");
        return options;
    }
}
