using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Quartz.Tests.TestSupport;

namespace SelfLearning.Quartz.Tests;

/// <summary><c>UseQuartz</c> on the builder: what it registers, and the schedules it refuses at start.</summary>
public sealed class QuartzSelfLearningBuilderExtensionsTests
{
    [Fact]
    public void UseQuartz_NullArguments_ThrowNamingTheArgument()
    {
        ISelfLearningBuilder builder = new ServiceCollection().AddSelfLearning();

        FluentActions.Invoking(() => QuartzSelfLearningBuilderExtensions.UseQuartz(null!, _ => { }))
            .Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => builder.UseQuartz((Action<SelfLearningQuartzOptions>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("configure");
        FluentActions.Invoking(() => builder.UseQuartz((Action<IServiceProvider, SelfLearningQuartzOptions>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("configure");
    }

    [Fact]
    public void UseQuartz_HostTurnsRunInBackgroundOnAfterwards_TheBackgroundServiceStillRunsNoCycle()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddSelfLearning()
            .UseQuartz(_ => { })
            .Configure(o => o.RunInBackground = true)
            .Services.BuildServiceProvider();

        services.GetRequiredService<IOptions<SelfLearningOptions>>().Value.RunInBackground.Should().BeFalse("the Quartz jobs run the cycles; two schedulers would run each twice");
    }

    [Fact]
    public void UseQuartz_CalledTwice_RegistersOneScheduleServiceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning()
            .AddCaseSource(new InMemoryCaseSource())
            .AddModel("triage", _ => { })
            .UseQuartz(o => o.DefaultCronSchedule = "0 15 * * * ?")
            .UseQuartz(o => o.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        services.Count(d => d.ImplementationType == typeof(SelfLearningQuartzSchedules)).Should().Be(1);
        services.Count(d => d.ImplementationType == typeof(SelfLearningQuartzOptionsValidator)).Should().Be(1);
        using ServiceProvider provider = services.BuildServiceProvider();
        SelfLearningQuartzOptions options = provider.GetRequiredService<IOptions<SelfLearningQuartzOptions>>().Value;
        options.DefaultCronSchedule.Should().Be("0 15 * * * ?");
        options.TimeZone.Id.Should().Be("Europe/Berlin");
    }

    [Fact]
    public void Options_Defaults_AreHourlyUtcFireOnceNowInTheSelfLearningGroupOnTheDefaultScheduler()
    {
        var options = new SelfLearningQuartzOptions();

        options.DefaultCronSchedule.Should().Be("0 0 * * * ?");
        options.CronSchedules.Should().BeEmpty();
        options.TimeZone.Should().Be(TimeZoneInfo.Utc);
        options.MisfirePolicy.Should().Be(SelfLearningMisfirePolicy.FireOnceNow);
        options.JobGroup.Should().Be("SelfLearning");
        options.SchedulerName.Should().BeNull();
    }

    [Theory]
    [InlineData("0 0 25 * * ?", "SelfLearning:Quartz:CronSchedules:triage is '0 0 25 * * ?', not a Quartz cron expression")]
    [InlineData("every hour", "SelfLearning:Quartz:CronSchedules:triage is 'every hour', not a Quartz cron expression")]
    [InlineData(" ", "SelfLearning:Quartz:CronSchedules:triage is ' ', which is empty")]
    [InlineData("0 0 0 1 1 ? 2020", "SelfLearning:Quartz:CronSchedules:triage is '0 0 0 1 1 ? 2020', which never fires again after now")]
    public void Validate_ModelsCronExpressionUnusable_FailsNamingTheModelAndTheValue(string cron, string expected)
    {
        ValidateOptionsResult result = Validate(o => o.CronSchedules["triage"] = cron);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void Validate_DefaultCronExpressionUnusable_FailsForEveryModelUsingItByName()
    {
        ValidateOptionsResult result = Validate(o =>
        {
            o.DefaultCronSchedule = "0 61 * * * ?";
            o.CronSchedules["referral"] = "0 0 3 * * ?";
        });

        result.Failures.Should().ContainSingle().Which.Should()
            .StartWith("SelfLearning:Quartz:DefaultCronSchedule (the schedule of model 'triage') is '0 61 * * * ?', not a Quartz cron expression");
    }

    [Fact]
    public void Validate_ScheduleForAModelNotAdded_FailsNamingIt()
    {
        ValidateOptionsResult result = Validate(o => o.CronSchedules["trige"] = "0 0 * * * ?");

        result.Failures.Should().ContainSingle().Which.Should()
            .Be("SelfLearning:Quartz:CronSchedules names model 'trige', which no AddModel added; the models are: referral, triage.");
    }

    [Fact]
    public void Validate_GroupTimeZoneMisfirePolicyAndSchedulerName_FailEachByName()
    {
        ValidateOptionsResult result = Validate(o =>
        {
            o.JobGroup = " ";
            o.TimeZone = null!;
            o.MisfirePolicy = (SelfLearningMisfirePolicy)7;
            o.SchedulerName = "";
        });

        result.Failures.Should().HaveCount(4).And.Contain([
            "SelfLearning:Quartz:TimeZone is null; name the time zone the cron expressions are read in (TimeZoneInfo.Utc by default).",
            "SelfLearning:Quartz:JobGroup is ' '; it must have 1 to 150 characters, not all white space.",
            "SelfLearning:Quartz:MisfirePolicy is 7, not a defined SelfLearningMisfirePolicy.",
            "SelfLearning:Quartz:SchedulerName is ''; leave it null for the default scheduler or name one registered with AddQuartz(name, …).",
        ]);
        Validate(o => o.JobGroup = new string('g', 151)).Failures.Should().ContainSingle().Which.Should().StartWith("SelfLearning:Quartz:JobGroup is 'ggg");
    }

    [Fact]
    public void Validate_ExpressionsInTheOptionsTimeZone_Succeed()
    {
        ValidateOptionsResult result = Validate(o =>
        {
            o.CronSchedules["triage"] = "0 30 2 ? * MON-FRI";
            o.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        });

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Failures ?? []));
    }

    [Fact]
    public async Task StartAsync_CronExpressionInvalid_StopsTheHostBeforeAnyJobIsAdded()
    {
        var recorder = new CycleRecorder();
        using IHost host = LoopHosts.Build(
            q => { q.UseInMemoryStore(); q.AddJobListener(recorder); },
            s => s.CronSchedules[LoopHosts.Model] = "0 0 12 * * MON-XYZ");

        var start = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();
        start.Which.Message.Should().Contain("SelfLearning:Quartz:CronSchedules:triage is '0 0 12 * * MON-XYZ'");
        recorder.Started.Should().BeEmpty();
    }

    /// <summary>Validates options for a loop with the models "triage" and "referral", at a fixed instant.</summary>
    private static ValidateOptionsResult Validate(Action<SelfLearningQuartzOptions> configure)
    {
        var loop = new SelfLearningOptions();
        loop.Models.Add("triage");
        loop.Models.Add("referral");
        var options = new SelfLearningQuartzOptions();
        configure(options);
        return new SelfLearningQuartzOptionsValidator(Options.Create(loop), new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)))
            .Validate(Options.DefaultName, options);
    }
}
