using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class RidgeRegressionTrainerTests
{
    [Theory]
    [InlineData("spending")]
    [InlineData("collinear")]
    [InlineData("diabetes")]
    public void Fit_ReferenceData_AgreesWithScikitLearn(string name)
    {
        var reference = TrainingReference.Case("ridge", name);
        var table = TrainingTable.ForRegression(reference.Matrix("x"), reference.Vector("y"));

        var model = RidgeRegressionTrainer.Fit(table, reference.GetProperty("alpha").GetDouble());

        TrainingReference.ShouldAgree(model.Coefficients, reference.Vector("coefficients"));
        model.Intercept.Should().BeApproximately(reference.GetProperty("intercept").GetDouble(), 1e-6 * Math.Abs(reference.GetProperty("intercept").GetDouble()));
        var predictions = reference.Rows("x_test").Select(row => model.Predict(row)).ToArray();
        TrainingReference.ShouldAgree(predictions, reference.Vector("predictions"));
    }

    [Fact]
    public async Task Train_HeldOutSpendingWithKnownLinearStructure_BeatsMeanBaseline()
    {
        // Known structure: spend = 120 + 30·visits − 15·distance + N(0, 10²).
        var data = new TrainingData(Generate(400, 1), Generate(200, 2));

        var result = await new RidgeRegressionTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 0), CancellationToken.None);

        double trainMean = data.Training.Targets.ToArray().Average();
        double baselineRmse = Math.Sqrt(data.Validation.Targets.ToArray().Average(t => (t - trainMean) * (t - trainMean)));
        result.ValidationMetrics[TrainingMetrics.RootMeanSquaredError].Should().BeLessThan(baselineRmse / 2);
        result.ValidationMetrics[TrainingMetrics.RootMeanSquaredError].Should().BeInRange(8, 12, "the noise standard deviation is 10");
        result.ValidationMetrics[TrainingMetrics.RSquared].Should().BeGreaterThan(0.8);
    }

    [Fact]
    public async Task Train_Twice_GivesByteIdenticalArtifactThatPredictsLikeTheFit()
    {
        var data = new TrainingData(Generate(100, 3), Generate(50, 4));
        var trainer = new RidgeRegressionTrainer();

        var first = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("alpha", 2.5), 1), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("alpha", 2.5), 1), CancellationToken.None);

        first.Artifact.Content.ToArray().Should().Equal(second.Artifact.Content.ToArray());
        var loaded = (IRegressionPredictor)PredictorLoader.Load(first.Artifact);
        var fitted = RidgeRegressionTrainer.Fit(data.Training, 2.5);
        loaded.Predict(data.Validation.GetFeatures(0)).Should().Be(fitted.Predict(data.Validation.GetFeatures(0)));
    }

    [Fact]
    public async Task Train_NonPositiveAlpha_ThrowsNamingTheParameter()
    {
        var data = new TrainingData(Generate(20, 5), Generate(10, 6));
        var act = () => new RidgeRegressionTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("alpha", 0.0), 0), CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("alpha");
    }

    internal static TrainingTable Generate(int n, int seed)
    {
        var rng = TrainingReference.Rng(seed);
        var x = new double[n, 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = 2 + (2 * rng.NextDouble() * 3);
            x[i, 1] = 10 * rng.NextDouble();
            y[i] = 120 + (30 * x[i, 0]) - (15 * x[i, 1]) + (10 * rng.Normal());
        }

        return TrainingTable.ForRegression(x, y);
    }
}
