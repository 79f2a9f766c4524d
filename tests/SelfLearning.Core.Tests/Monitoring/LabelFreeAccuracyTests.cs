using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class LabelFreeAccuracyTests
{
    [Fact]
    public void Estimate_KnownConfidences_IsTheMeanWithPoissonBinomialError()
    {
        double[] confidence = [0.9, 0.8, 0.6, 0.7];

        AccuracyEstimate estimate = LabelFreeAccuracy.Estimate(confidence, 0.95);

        // Σp(1−p) = 0.09 + 0.16 + 0.24 + 0.21 = 0.70; SE = √0.70 / 4; z(0.975) = 1.959963984540054.
        double standardError = Math.Sqrt(0.70) / 4.0;
        estimate.Count.Should().Be(4);
        estimate.ExpectedAccuracy.Should().BeApproximately(0.75, 1e-15);
        estimate.StandardError.Should().BeApproximately(standardError, 1e-15);
        estimate.Interval.Lower.Should().BeApproximately(0.75 - (1.959963984540054 * standardError), 1e-12);
        estimate.Interval.Upper.Should().BeApproximately(Math.Min(1.0, 0.75 + (1.959963984540054 * standardError)), 1e-12);
        estimate.Interval.Confidence.Should().Be(0.95);
    }

    [Fact]
    public void Estimate_CertainPredictions_HasZeroWidthInterval()
    {
        AccuracyEstimate estimate = LabelFreeAccuracy.Estimate([1.0, 1.0, 0.0, 1.0]);

        estimate.ExpectedAccuracy.Should().Be(0.75);
        estimate.StandardError.Should().Be(0.0);
        estimate.Interval.Lower.Should().Be(0.75);
        estimate.Interval.Upper.Should().Be(0.75);
    }

    [Fact]
    public void Estimate_CalibratedSimulation_IntervalCoversRealisedAccuracyAbout95Percent()
    {
        // 2,000 seeded batches of 400 calibrated predictions (confidence ~ U(0.5, 1), correct ~ Bernoulli(confidence)).
        // The coverage estimate has a standard error of √(0.95·0.05/2000) ≈ 0.005; the tolerance is ±0.02 (4 SE).
        double coverage = Coverage(new Random(20250301), trials: 2_000, batch: 400, overconfidence: 0.0);

        coverage.Should().BeInRange(0.93, 0.97);
    }

    [Fact]
    public void Estimate_OverconfidentSimulation_IntervalMissesRealisedAccuracy()
    {
        // The estimate is only as good as the calibration: confidences 0.1 too high must break the coverage.
        double coverage = Coverage(new Random(20250302), trials: 500, batch: 400, overconfidence: 0.1);

        coverage.Should().BeLessThan(0.2);
    }

    [Fact]
    public void Estimate_BadInput_ThrowsNamingTheArgument()
    {
        FluentActions.Invoking(() => LabelFreeAccuracy.Estimate([])).Should().Throw<ArgumentException>().WithParameterName("calibratedConfidence");
        FluentActions.Invoking(() => LabelFreeAccuracy.Estimate([0.5, 1.2])).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("calibratedConfidence").WithMessage("*element 1*");
        FluentActions.Invoking(() => LabelFreeAccuracy.Estimate([0.5], 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidenceLevel");
    }

    private static double Coverage(Random random, int trials, int batch, double overconfidence)
    {
        int covered = 0;
        var confidence = new double[batch];
        for (int t = 0; t < trials; t++)
        {
            int correct = 0;
            for (int i = 0; i < batch; i++)
            {
                double truth = 0.5 + (random.NextDouble() * (0.5 - overconfidence));
                confidence[i] = truth + overconfidence;
                correct += random.NextDouble() < truth ? 1 : 0;
            }

            AccuracyEstimate estimate = LabelFreeAccuracy.Estimate(confidence);
            double realised = (double)correct / batch;
            covered += realised >= estimate.Interval.Lower && realised <= estimate.Interval.Upper ? 1 : 0;
        }

        return (double)covered / trials;
    }
}
