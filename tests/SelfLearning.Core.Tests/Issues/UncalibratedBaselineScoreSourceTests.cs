using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Tests.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Found by the console sample: before its first champion a model served the host's score "as is when it
/// looked like a probability", so a raw margin of 0.4 was served as a probability of 0.4. What the score is
/// now comes from the model's <see cref="SelfLearningModelOptions.ScoreSource"/>, never from its value.
/// </summary>
public sealed class UncalibratedBaselineScoreSourceTests
{
    [Fact]
    public async Task Predict_RawScoreModelBeforeFirstChampion_ServesTheSigmoidOfAMarginInsideTheUnitInterval()
    {
        using var host = HostingTestHost.Build(b => b
            .Configure(o => o.RunInBackground = false)
            .AddModel("triage", m => m.ScoreSource = CalibrationScoreSource.RawScore));

        await host.StartAsync();
        var prediction = host.Services.GetRequiredService<IPredictionService>().Predict("triage", "unit-1", 0.4);
        await host.StopAsync();

        prediction.ModelVersion.Should().Be(0);
        prediction.Probability.Should().Be(1.0 / (1.0 + Math.Exp(-0.4)));
    }

    [Fact]
    public void Probability_ConfidenceSourceOutsideUnitInterval_ThrowsNamingScore()
    {
        var act = () => UncalibratedBaseline.Probability(3.0, CalibrationScoreSource.Confidence);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("score").WithMessage("*Confidence*3*");
    }

    [Fact]
    public void Probabilities_RawScores_AreTheLogisticOfEachMargin()
    {
        double[] margins = [-2.0, 0.0, 0.4, 1.0, 5.0];

        double[] p = UncalibratedBaseline.Probabilities(margins, CalibrationScoreSource.RawScore);

        p.Should().Equal(margins.Select(m => 1.0 / (1.0 + Math.Exp(-m))));
    }
}
