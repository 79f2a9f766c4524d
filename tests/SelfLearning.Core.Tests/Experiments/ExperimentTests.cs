using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class ExperimentTests
{
    [Fact]
    public void Start_Defaults_CanaryAtFivePercentSeededByKey()
    {
        Experiment experiment = ExperimentFixtures.Running();

        experiment.Status.Should().Be(ExperimentStatus.Running);
        experiment.RampStep.Should().Be(0);
        experiment.ChallengerShare.Should().Be(0.05);
        experiment.Seed.Should().Be("triage-v2");
        experiment.ChampionRange.Should().Be(new BucketRange(0.0, 0.05));
        experiment.ChallengerRange.Should().Be(new BucketRange(0.5, 0.55));
        experiment.StepStartedAt.Should().Be(ExperimentFixtures.Epoch);
    }

    [Fact]
    public void RampUp_ThroughEverySteps_GrowsRangesFromFixedStartsAndRefusesPastTheLast()
    {
        DateTimeOffset later = ExperimentFixtures.Epoch.AddDays(1);
        Experiment experiment = ExperimentFixtures.Running().RampUp(later);

        experiment.ChallengerShare.Should().Be(0.25);
        experiment.StepStartedAt.Should().Be(later);
        experiment.StartedAt.Should().Be(ExperimentFixtures.Epoch);
        experiment.ChallengerRange.Should().Be(new BucketRange(0.5, 0.75));

        Experiment last = experiment.RampUp(later);
        last.IsAtFinalRampStep.Should().BeTrue();
        last.Invoking(e => e.RampUp(later)).Should().Throw<InvalidOperationException>().WithMessage("*last ramp step*");
    }

    [Fact]
    public void Conclude_Twice_Throws()
    {
        Experiment ended = ExperimentFixtures.Running().Conclude(ExperimentStatus.Inconclusive, ExperimentFixtures.Epoch.AddDays(3));
        ended.EndedAt.Should().Be(ExperimentFixtures.Epoch.AddDays(3));
        ended.Invoking(e => e.Conclude(ExperimentStatus.RolledBack, ExperimentFixtures.Epoch)).Should().Throw<InvalidOperationException>();
        ended.Invoking(e => e.RampUp(ExperimentFixtures.Epoch)).Should().Throw<InvalidOperationException>();
        ExperimentFixtures.Running().Invoking(e => e.Conclude(ExperimentStatus.Running, ExperimentFixtures.Epoch))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("status");
    }

    [Fact]
    public void Start_InvalidDefinition_ThrowsNamingTheField()
    {
        ExperimentDefinition valid = ExperimentFixtures.Definition();
        Start(valid with { Key = " " }).Should().Throw<ArgumentException>().WithParameterName("definition.Key");
        Start(valid with { ChallengerVersion = 1 }).Should().Throw<ArgumentException>().WithParameterName("definition.ChallengerVersion")
            .WithMessage("*is 1, the same as the champion*");
        Start(valid with { ChampionVersion = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("definition.ChampionVersion")
            .WithMessage("*must be positive, but is 0*");
        Start(valid with { ChallengerVersion = -2 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("definition.ChallengerVersion");
        Start(valid with { HashVersion = 3 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("definition.HashVersion");
        Start(valid with { MaximumDuration = TimeSpan.Zero }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("definition.MaximumDuration");
        Start(valid with { PlannedSampleSizePerArm = 1 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("definition.PlannedSampleSizePerArm");
        Start(valid with { Guardrails = [ExperimentMetric.SuccessRate("success")] }).Should().Throw<ArgumentException>().WithParameterName("definition.Guardrails");
        Start(valid with { Seed = "" }).Should().Throw<ArgumentException>().WithParameterName("definition.Seed");
    }

    [Fact]
    public void Restore_StepOutsideRamp_ThrowsNamingArgument()
    {
        FluentActions.Invoking(() => Experiment.Restore(ExperimentFixtures.Definition(), ExperimentStatus.Running, 3, ExperimentFixtures.Epoch, ExperimentFixtures.Epoch, null))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rampStep");
    }

    [Fact]
    public void CanaryRamp_NotIncreasingOrAboveHalf_ThrowsNamingShares()
    {
        FluentActions.Invoking(() => new CanaryRamp([0.1, 0.1], 10, TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("shares").WithMessage("*element 1*");
        FluentActions.Invoking(() => new CanaryRamp([0.1, 0.6], 10, TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("shares");
        FluentActions.Invoking(() => new CanaryRamp([], 10, TimeSpan.Zero)).Should().Throw<ArgumentException>().WithParameterName("shares");
        FluentActions.Invoking(() => new CanaryRamp([0.5], -1, TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumSamplesPerArm");
    }

    [Fact]
    public void ExperimentNamespace_SliceOutsideUnitInterval_ThrowsNamingArgument()
    {
        FluentActions.Invoking(() => new ExperimentNamespace("ns", 0.6, 0.4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("end");
        FluentActions.Invoking(() => new ExperimentNamespace("ns", -0.1, 0.4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("start");
    }

    private static Func<Experiment> Start(ExperimentDefinition definition) => () => Experiment.Start(definition, ExperimentFixtures.Epoch);
}
