using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class PageHinkleyTests
{
    [Fact]
    public void Add_SmallStream_FollowsTheRecurrence()
    {
        var detector = new PageHinkley(delta: 0.1, threshold: 100, alpha: 0.5, minimumInstances: 1);
        double[] stream = [1.0, 0.0, 3.0];

        foreach (double x in stream)
        {
            detector.Add(x).Should().BeFalse();
        }

        // x̄: 1, 0.5, 4/3. m: 1−1−0.1 = −0.1; 0.5·(−0.1) + (0 − 0.5 − 0.1) = −0.65; 0.5·(−0.65) + (3 − 4/3 − 0.1) = 1.241666…
        // M = −0.65, so PH = 1.241666… + 0.65.
        detector.Mean.Should().BeApproximately(4.0 / 3.0, 1e-15);
        detector.Statistic.Should().BeApproximately((-0.325 + (3.0 - (4.0 / 3.0) - 0.1)) + 0.65, 1e-12);
        detector.Count.Should().Be(3);
    }

    [Fact]
    public void Add_StationaryErrorStream_RaisesNoAlarm()
    {
        // 20,000 seeded outcomes with a constant 10% error rate, default parameters (δ = 0.005, λ = 50, α = 0.9999).
        var detector = new PageHinkley();

        int alarms = StreamSimulation.Errors(seed: 11, length: 20_000, before: 0.1).Count(detector.Add);

        alarms.Should().Be(0);
    }

    [Fact]
    public void Add_ErrorRateRisesFrom10To30Percent_AlarmsWithin400Outcomes()
    {
        // Expected delay ≈ λ / (0.2 − δ) ≈ 256 outcomes after the change at 5,000.
        var detector = new PageHinkley();
        double[] stream = StreamSimulation.Errors(seed: 12, length: 8_000, before: 0.1, changeAt: 5_000, after: 0.3);

        int firstAlarm = Array.FindIndex(stream, x => detector.Add(x));

        firstAlarm.Should().BeInRange(5_000, 5_400);
        detector.ChangesDetected.Should().Be(1);
        detector.Count.Should().Be(0, "the detector starts afresh after an alarm");
    }

    [Fact]
    public void Add_ErrorRateFallsWithoutFading_RaisesNoAlarm()
    {
        // The classical test (α = 1, here with λ = 200 since without fading the statistic wanders further) watches
        // for a rise only. With fading (α < 1) a long fall can alarm: the faded sum climbs back from its deep
        // minimum, as the class documentation warns.
        var detector = new PageHinkley(threshold: 200, alpha: 1.0);

        int alarms = StreamSimulation.Errors(seed: 13, length: 10_000, before: 0.3, changeAt: 5_000, after: 0.05).Count(detector.Add);

        alarms.Should().Be(0, "the test watches for a rising error rate only");
    }

    [Fact]
    public void Constructor_BadParameters_ThrowNamingTheParameter()
    {
        FluentActions.Invoking(() => new PageHinkley(delta: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        FluentActions.Invoking(() => new PageHinkley(threshold: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");
        FluentActions.Invoking(() => new PageHinkley(alpha: 1.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        FluentActions.Invoking(() => new PageHinkley(minimumInstances: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minimumInstances");
        FluentActions.Invoking(() => new PageHinkley().Add(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }
}
