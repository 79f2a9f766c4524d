using SelfLearning.Calibration;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Found by the console sample's broken-trainer demonstration: on flipped labels the one-feature refit of
/// beta calibration came out with b &lt; 0, and the artifact the trainer wrote could not be read back
/// (the serializer rightly refuses negative a or b).
/// </summary>
public sealed class BetaCalibratorAntiInformativeScoresTests
{
    [Fact]
    public void Fit_FlippedLabels_KeepsCoefficientsNonNegativeAndRoundTrips()
    {
        var random = new Random(11);
        double[] scores = Enumerable.Range(0, 4_000).Select(_ => random.NextDouble()).ToArray();
        // The label is the opposite of what the score says: higher scores are less often positive.
        bool[] labels = scores.Select(s => random.NextDouble() < 1.0 - s).ToArray();

        var beta = BetaCalibrator.Fit(scores, labels);

        beta.A.Should().BeGreaterThanOrEqualTo(0.0);
        beta.B.Should().BeGreaterThanOrEqualTo(0.0);
        var restored = CalibratorSerializer.Deserialize(CalibratorSerializer.Serialize(beta));
        foreach (double s in new[] { 0.01, 0.3, 0.5, 0.7, 0.99 })
        {
            restored.Calibrate(s).Should().Be(beta.Calibrate(s));
        }
    }

    [Fact]
    public void Fit_FlippedLabels_NoFeatureHelps_FallsBackToThePositiveRate()
    {
        var random = new Random(5);
        double[] scores = Enumerable.Range(0, 4_000).Select(_ => random.NextDouble()).ToArray();
        bool[] labels = scores.Select(s => random.NextDouble() < 1.0 - s).ToArray();
        double positiveRate = labels.Count(l => l) / (double)labels.Length;

        var beta = BetaCalibrator.Fit(scores, labels);

        // Both ln s and −ln(1 − s) rise with s while the positive rate falls, so neither may get a
        // positive weight and the constrained optimum is the constant positive rate.
        beta.A.Should().Be(0.0);
        beta.B.Should().Be(0.0);
        beta.Calibrate(0.2).Should().BeApproximately(positiveRate, 1e-12);
        beta.Calibrate(0.9).Should().BeApproximately(positiveRate, 1e-12);
    }
}
