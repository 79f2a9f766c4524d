using SelfLearning.Evaluation;

namespace SelfLearning.Tests.Evaluation;

public sealed class ModelComparisonTests
{
    private static (double[] Champion, double[] Candidate, bool[] Labels) Data(int n, int seed)
    {
        var random = new Random(seed);
        var champion = new double[n];
        var candidate = new double[n];
        var labels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double truth = random.NextDouble();
            labels[i] = random.NextDouble() < truth;
            candidate[i] = truth;                                        // calibrated
            champion[i] = 1.0 / (1.0 + Math.Exp(-4.0 * (truth - 0.5) * 3.0)); // over-confident
        }

        return (champion, candidate, labels);
    }

    [Fact]
    public void Compare_IdenticalModels_NoDifference()
    {
        var (champion, _, labels) = Data(300, 1);
        var result = ModelComparison.Compare(champion, champion, labels, iterations: 200);
        result.McNemar.PValue.Should().Be(1.0);
        result.ChampionOnlyCorrect.Should().Be(0);
        result.BrierDifference.Should().Be(new ConfidenceInterval(0.0, 0.0, 0.0, 0.95));
        result.LogLossDifference.Should().Be(new ConfidenceInterval(0.0, 0.0, 0.0, 0.95));
        result.CalibrationErrorDifference.Should().Be(new ConfidenceInterval(0.0, 0.0, 0.0, 0.95));
    }

    [Fact]
    public void Compare_CalibratedCandidate_BetterBrierLogLossAndEce()
    {
        var (champion, candidate, labels) = Data(3000, 2);
        var result = ModelComparison.Compare(champion, candidate, labels, iterations: 300, seed: 9);
        result.BrierDifference.Estimate.Should().BeApproximately(
            CalibrationMetrics.BrierScore(candidate, labels) - CalibrationMetrics.BrierScore(champion, labels), 1e-15);
        result.LogLossDifference.Estimate.Should().BeApproximately(
            CalibrationMetrics.LogLoss(candidate, labels) - CalibrationMetrics.LogLoss(champion, labels), 1e-15);
        result.CalibrationErrorDifference.Estimate.Should().BeApproximately(
            CalibrationMetrics.ExpectedCalibrationError(candidate, labels) - CalibrationMetrics.ExpectedCalibrationError(champion, labels), 1e-15);
        result.BrierDifference.IsBelowZero.Should().BeTrue();
        result.LogLossDifference.IsBelowZero.Should().BeTrue();
        result.CalibrationErrorDifference.IsBelowZero.Should().BeTrue();

        // Both models threshold at 0.5 on the same monotone score, so they make the same decisions.
        result.ChampionAccuracy.Should().Be(result.CandidateAccuracy);
        result.McNemar.PValue.Should().Be(1.0);
    }

    [Fact]
    public void Compare_SameSeed_SameIntervals()
    {
        var (champion, candidate, labels) = Data(500, 3);
        var first = ModelComparison.Compare(champion, candidate, labels, iterations: 100, seed: 4);
        var second = ModelComparison.Compare(champion, candidate, labels, iterations: 100, seed: 4);
        second.Should().BeEquivalentTo(first);
    }

    [Fact]
    public void Compare_CountsDiscordantPairsForMcNemar()
    {
        double[] champion = [0.9, 0.9, 0.1, 0.2, 0.8];
        double[] candidate = [0.9, 0.2, 0.8, 0.7, 0.8];
        bool[] labels = [true, true, true, true, false];
        var result = ModelComparison.Compare(champion, candidate, labels, iterations: 10);
        result.ChampionOnlyCorrect.Should().Be(1);
        result.CandidateOnlyCorrect.Should().Be(2);
        result.ChampionAccuracy.Should().Be(0.4);
        result.CandidateAccuracy.Should().Be(0.6);
        result.McNemar.Statistic.Should().Be(1.0);
        result.McNemar.PValue.Should().Be(1.0);
    }

    [Fact]
    public void Compare_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => ModelComparison.Compare([0.5, 0.5], [0.5, 1.5], [true, false]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("candidateProbability").WithMessage("*element 1*");
        FluentActions.Invoking(() => ModelComparison.Compare([0.5], [0.5, 0.5], [true, false]))
            .Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => ModelComparison.Compare([0.5], [0.5], [true], iterations: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("iterations");
    }
}
