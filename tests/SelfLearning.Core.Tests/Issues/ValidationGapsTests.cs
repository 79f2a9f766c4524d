using SelfLearning.Calibration;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Statistics;
using SelfLearning.Training;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 12, point 9: a hostile caller found sizes that overflowed or allocated without limit, undefined enum
/// values that were accepted silently, and counts or magnitudes that turned statistics into NaN or negatives.
/// </summary>
public sealed class ValidationGapsTests
{
    private static readonly double[] Confidence = [0.1, 0.4, 0.6, 0.9];
    private static readonly bool[] Correct = [false, true, false, true];

    [Fact]
    public void ExpectedCalibrationError_BinsWhoseBufferOverflows_ThrowsNamingBins()
    {
        var act = () => CalibrationMetrics.ExpectedCalibrationError(Confidence, Correct, bins: 600_000_000);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bins");
    }

    [Fact]
    public void BinnedMetrics_BinsAboveTheLimit_ThrowNamingBinsBeforeAllocating()
    {
        int bins = CalibrationMetrics.MaximumBins + 1;

        FluentActions.Invoking(() => CalibrationMetrics.MaximumCalibrationError(Confidence, Correct, bins))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bins");
        FluentActions.Invoking(() => CalibrationMetrics.ReliabilityCurve(Confidence, Correct, int.MaxValue))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bins");
        FluentActions.Invoking(() => CalibrationMetrics.ExpectedCalibrationError(Confidence, Correct, CalibrationMetrics.MaximumBins))
            .Should().NotThrow("the limit itself is accepted");
    }

    [Fact]
    public void BinnedMetrics_UndefinedStrategy_ThrowNamingStrategy()
    {
        var strategy = (BinningStrategy)99;

        FluentActions.Invoking(() => CalibrationMetrics.ExpectedCalibrationError(Confidence, Correct, 10, strategy))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strategy");
        FluentActions.Invoking(() => CalibrationMetrics.MaximumCalibrationError(Confidence, Correct, 10, strategy))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strategy");
        FluentActions.Invoking(() => CalibrationMetrics.ReliabilityCurve(Confidence, Correct, 10, strategy))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("strategy");
    }

    [Fact]
    public void HistogramBinningFit_IntMaxValueBins_ThrowsNamingBinsInsteadOfRunningOutOfMemory()
    {
        var act = () => HistogramBinningCalibrator.Fit(Confidence, Correct, int.MaxValue);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bins");
    }

    [Fact]
    public void GetBucketRanges_IntMaxValueVariations_ThrowsNamingVariationsInsteadOfRunningOutOfMemory()
    {
        var act = () => BucketHash.GetBucketRanges(int.MaxValue, 1.0, ReadOnlySpan<double>.Empty);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("variations");
        BucketHash.GetBucketRanges(BucketHash.MaximumVariations, 1.0, ReadOnlySpan<double>.Empty).Should().HaveCount(BucketHash.MaximumVariations);
    }

    [Fact]
    public void PopulationStabilityIndex_IntMaxValueBins_ThrowsNamingBins()
    {
        var act = () => DriftStatistics.PopulationStabilityIndex(Confidence, Confidence, int.MaxValue);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bins");
    }

    [Fact]
    public void HypothesisTests_UndefinedAlternative_ThrowNamingAlternative()
    {
        var alternative = (Alternative)9;

        FluentActions.Invoking(() => HypothesisTests.TwoProportionZTest(5, 10, 6, 10, alternative))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("alternative");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest([1.0, 2.0, 3.0], [2.0, 3.0, 5.0], alternative))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("alternative");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest(1.0, 1.0, 10, 2.0, 1.0, 10, alternative))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("alternative");
        FluentActions.Invoking(() => HypothesisTests.KolmogorovSmirnovTwoSample([1.0, 2.0, 3.0], [2.0, 3.0, 5.0], alternative))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("alternative");
    }

    [Fact]
    public void TwoProportionZTest_TrialsNearLongMaxValue_GivesTheFiniteZOfTheFormula()
    {
        const long trials = long.MaxValue;
        const long successesA = long.MaxValue / 2;
        const long successesB = long.MaxValue / 4;

        var result = HypothesisTests.TwoProportionZTest(successesA, trials, successesB, trials);

        double n = trials;
        double pA = successesA / n;
        double pB = successesB / n;
        double pooled = (pA + pB) / 2.0;
        double expected = (pA - pB) / Math.Sqrt(pooled * (1.0 - pooled) * (2.0 / n));
        result.Statistic.Should().BeApproximately(expected, Math.Abs(expected) * 1e-12);
        result.PValue.Should().Be(0.0);
    }

    [Fact]
    public void McNemar_CountsNearLongMaxValue_GivesANonNegativeStatisticAndAPValue()
    {
        const long b = long.MaxValue;
        const long c = long.MaxValue - 10;

        var chiSquare = HypothesisTests.McNemar(b, c, exact: false);

        double expected = 81.0 / ((double)b + c);
        chiSquare.Statistic.Should().BeApproximately(expected, expected * 1e-12);
        chiSquare.PValue.Should().BeInRange(0.99, 1.0);
    }

    [Fact]
    public void McNemarExact_CountsNearLongMaxValue_GivesTheSmallerCountAndAPValue()
    {
        var exact = HypothesisTests.McNemar(long.MaxValue, long.MaxValue / 2, exact: true);

        exact.Statistic.Should().Be(long.MaxValue / 2);
        exact.PValue.Should().Be(0.0, "a third of 2^63 discordant pairs against two thirds is beyond any doubt");
    }

    [Theory]
    [InlineData(1e308)]
    [InlineData(-1e308)]
    [InlineData(1e-300)]
    public void WelchTTest_ExtremeMagnitudes_GivesTheSameTAndDegreesAsTheRescaledSamples(double scale)
    {
        double[] a = [1.0, -1.0, 0.5, 0.75];
        double[] b = [-1.0, 1.0, -0.25, -0.5, -0.9];

        var scaled = HypothesisTests.WelchTTest(a.Select(v => v * scale).ToArray(), b.Select(v => v * scale).ToArray());
        var unit = HypothesisTests.WelchTTest(a, b);

        double sign = Math.Sign(scale);
        scaled.DegreesOfFreedom!.Value.Should().BeApproximately(unit.DegreesOfFreedom!.Value, unit.DegreesOfFreedom.Value * 1e-12);
        scaled.Statistic.Should().BeApproximately(sign * unit.Statistic, Math.Abs(unit.Statistic) * 1e-12);
        scaled.PValue.Should().BeApproximately(unit.PValue, unit.PValue * 1e-10);
    }

    [Fact]
    public void WelchTTestFromStatistics_MeansAndDeviationsNearDoubleMaxValue_GivesTheSameResultAsTheRescaledStatistics()
    {
        var scaled = HypothesisTests.WelchTTest(1e308, 1.5e308, 10, -1e308, 1e308, 12);
        var unit = HypothesisTests.WelchTTest(1.0, 1.5, 10, -1.0, 1.0, 12);

        scaled.DegreesOfFreedom!.Value.Should().BeApproximately(unit.DegreesOfFreedom!.Value, unit.DegreesOfFreedom.Value * 1e-12);
        scaled.Statistic.Should().BeApproximately(unit.Statistic, Math.Abs(unit.Statistic) * 1e-12);
    }

    [Fact]
    public async Task Start_UndefinedScoreSource_FailsNamingTheSettingAndValue()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.ScoreSource = (CalibrationScoreSource)9));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .Contain("SelfLearning:Models:triage:ScoreSource is 9").And.Contain("not a defined CalibrationScoreSource");
    }

    /// <summary>
    /// The sweep of every public method and constructor that takes one of the library's enums as input (listed by
    /// reflection over the public surface): each that did not yet refuse an undefined value, named.
    /// </summary>
    [Fact]
    public void PublicEnumParameters_UndefinedValues_ThrowNamingTheParameter()
    {
        var snapshot = SelfLearning.Cases.DatasetSnapshot.Create([], new SelfLearning.Cases.DatasetProvenance());
        using var telemetry = new SelfLearning.Monitoring.SelfLearningTelemetry();

        var calls = new (string Parameter, Action Call)[]
        {
            ("taskKind", () => _ = new SelfLearning.Serving.Prediction(Guid.NewGuid(), "m", "u", (TaskKind)9, 1, ExperimentArm.Champion, null)),
            ("arm", () => _ = new SelfLearning.Serving.Prediction(Guid.NewGuid(), "m", "u", TaskKind.Regression, 1, (ExperimentArm)2, null)),
            ("split", () => _ = snapshot.InSplit((SelfLearning.Cases.DatasetSplit)7)),
            ("goal", () => _ = new HyperparameterSpace("auc", (MetricGoal)5)),
            ("reason", () => telemetry.RecordRollback("m", 1, (SelfLearning.Monitoring.RollbackReasonKind)42)),
            ("from", () => TrainingJobTransitions.IsAllowed((TrainingJobState)77, TrainingJobState.Running)),
            ("to", () => TrainingJobTransitions.IsAllowed(TrainingJobState.Queued, (TrainingJobState)77)),
            ("state", () => TrainingJobTransitions.IsTerminal((TrainingJobState)77)),
        };

        foreach (var (parameter, call) in calls)
        {
            call.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
        }
    }
}
