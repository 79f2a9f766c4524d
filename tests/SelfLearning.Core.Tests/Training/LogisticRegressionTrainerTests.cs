using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class LogisticRegressionTrainerTests
{
    [Theory]
    [InlineData("binary")]
    [InlineData("imbalanced")]
    [InlineData("separable")]
    [InlineData("tiny")]
    [InlineData("multinomial")]
    [InlineData("breast-cancer")]
    [InlineData("iris")]
    public void Fit_ReferenceData_AgreesWithScikitLearn(string name)
    {
        var reference = TrainingReference.Case("logistic", name);
        var table = TrainingTable.ForClassification(reference.Matrix("x"), reference.Strings("y"));

        var (model, _, converged) = LogisticRegressionTrainer.Fit(table, reference.GetProperty("l2").GetDouble(), 100, 1e-10);

        converged.Should().BeTrue();
        model.Classes.Should().Equal(reference.Strings("classes"));
        var expectedRows = reference.Rows("coefficients");
        model.Coefficients.Should().HaveCount(expectedRows.Length);
        for (int k = 0; k < expectedRows.Length; k++)
        {
            TrainingReference.ShouldAgree(model.Coefficients[k], expectedRows[k]);
        }

        TrainingReference.ShouldAgree(model.Intercepts, reference.Vector("intercepts"));
        var probabilities = new double[model.Classes.Count];
        var tests = reference.Rows("x_test");
        var expected = reference.Rows("probabilities");
        for (int i = 0; i < tests.Length; i++)
        {
            model.PredictProbabilities(tests[i], probabilities);
            TrainingReference.ShouldAgree(probabilities, expected[i]);
        }
    }

    [Fact]
    public async Task Train_HeldOutDataWithKnownLinearStructure_BeatsClassPriorBaseline()
    {
        // Known structure: P(y = 1) = sigmoid(2·x0 − 1.5·x1 + 0.5), x ~ N(0, I); a third feature is pure noise.
        var data = new TrainingData(Generate(600, 1), Generate(400, 2));

        var result = await new LogisticRegressionTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 0), CancellationToken.None);

        double prior = data.Training.Labels.Count(l => l == "1") / (double)data.Training.RowCount;
        double baselineLogLoss = -data.Validation.Labels.Average(l => Math.Log(l == "1" ? prior : 1 - prior));
        double majority = Math.Max(prior, 1 - prior);
        result.ValidationMetrics[TrainingMetrics.LogLoss].Should().BeLessThan(baselineLogLoss - 0.15);
        result.ValidationMetrics[TrainingMetrics.Accuracy].Should().BeGreaterThan(majority + 0.15);
        result.ValidationMetrics[TrainingMetrics.Converged].Should().Be(1);
        var model = (LogisticRegressionModel)PredictorLoader.Load(result.Artifact);
        model.Coefficients[0][0].Should().BePositive();
        model.Coefficients[0][1].Should().BeNegative();
        Math.Abs(model.Coefficients[0][2]).Should().BeLessThan(0.3, "the third feature is noise");
    }

    [Fact]
    public async Task Train_Twice_GivesByteIdenticalArtifactThatLoadsBackBitForBit()
    {
        var data = new TrainingData(Generate(200, 3), Generate(100, 4));
        var trainer = new LogisticRegressionTrainer();
        var parameters = TrainingParameters.Empty.With(LogisticRegressionTrainer.L2Parameter, 0.3);

        var first = await trainer.TrainAsync(new TrainingContext(data, parameters, 5), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, parameters, 5), CancellationToken.None);

        first.Artifact.Content.ToArray().Should().Equal(second.Artifact.Content.ToArray());
        first.Artifact.Sha256.Should().Be(second.Artifact.Sha256);
        var loaded = LogisticRegressionModel.Load(first.Artifact);
        var (fitted, _, _) = LogisticRegressionTrainer.Fit(data.Training, 0.3, 100, 1e-10);
        loaded.Coefficients[0].Should().Equal(fitted.Coefficients[0], "doubles are written in round-trip form");
        loaded.Intercepts.Should().Equal(fitted.Intercepts);
        first.Parameters[LogisticRegressionTrainer.L2Parameter].Should().Be("0.3");
    }

    [Fact]
    public void Fit_LargeTable_WarmStartFromSubsampleReachesTheSameOptimumInFewerFullPasses()
    {
        var table = Generate(LogisticRegressionTrainer.WarmStartRows + 20_000, 7);

        var (cold, coldIterations, coldConverged) = LogisticRegressionTrainer.Fit(table, 1.0, 100, 1e-10, warmStart: false);
        var (warm, warmIterations, warmConverged) = LogisticRegressionTrainer.Fit(table, 1.0, 100, 1e-10);

        coldConverged.Should().BeTrue();
        warmConverged.Should().BeTrue();
        warmIterations.Should().BeLessThan(coldIterations, "the full-data Newton steps start next to the optimum");
        TrainingReference.ShouldAgree(warm.Coefficients[0], cold.Coefficients[0], 1e-7, 1e-9);
        warm.Intercepts[0].Should().BeApproximately(cold.Intercepts[0], 1e-8);
    }

    [Fact]
    public void Fit_LargeMulticlassTable_WarmStartFromSubsampleReachesTheSameOptimumInFewerFullPasses()
    {
        // Three classes from the two-class generator's features: the margin's sign and size decide the class.
        var binary = Generate(LogisticRegressionTrainer.WarmStartRows + 20_000, 8);
        var rows = Enumerable.Range(0, binary.RowCount).Select(i => binary.GetFeatures(i).ToArray()).ToArray();
        var x = TrainingReference.ToMatrix(rows);
        var rng = TrainingReference.Rng(5);
        var labels = rows.Select(r => (r.Sum() + rng.Normal()) switch { < -1.0 => "low", > 1.0 => "high", _ => "mid" }).ToArray();
        var table = TrainingTable.ForClassification(x, labels);

        var (cold, coldIterations, coldConverged) = LogisticRegressionTrainer.Fit(table, 1.0, 100, 1e-10, warmStart: false);
        var (warm, warmIterations, warmConverged) = LogisticRegressionTrainer.Fit(table, 1.0, 100, 1e-10);

        coldConverged.Should().BeTrue();
        warmConverged.Should().BeTrue();
        warm.Classes.Should().Equal("high", "low", "mid");
        warmIterations.Should().BeLessThan(coldIterations, "the full-data Newton steps start next to the optimum");
        for (int k = 0; k < 3; k++)
        {
            TrainingReference.ShouldAgree(warm.Coefficients[k], cold.Coefficients[k], 1e-7, 1e-9);
            warm.Intercepts[k].Should().BeApproximately(cold.Intercepts[k], 1e-8);
        }
    }

    [Fact]
    public async Task Train_BadParametersOrData_ThrowNamingTheArgument()
    {
        var data = new TrainingData(Generate(50, 5), Generate(20, 6));
        var trainer = new LogisticRegressionTrainer();

        var unknown = () => trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("lambda", 1.0), 0), CancellationToken.None);
        var negative = () => trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty.With("l2", -1.0), 0), CancellationToken.None);
        var calibrationData = await FixedDataProvider.Small.GetDataAsync(null!, default);
        var wrongKind = () => trainer.TrainAsync(new TrainingContext(calibrationData, TrainingParameters.Empty, 0), CancellationToken.None);
        var oneClass = () => LogisticRegressionTrainer.Fit(TrainingTable.ForClassification(new double[,] { { 1 }, { 2 } }, ["a", "a"]), 1, 100, 1e-10);

        await unknown.Should().ThrowAsync<ArgumentException>().WithParameterName("lambda");
        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("l2");
        await wrongKind.Should().ThrowAsync<ArgumentException>().WithParameterName("context").WithMessage("*needs Classification data*");
        oneClass.Should().Throw<ArgumentException>().WithParameterName("table").WithMessage("*only class 'a'*");
    }

    private static TrainingTable Generate(int n, int seed)
    {
        var rng = TrainingReference.Rng(seed);
        var x = new double[n, 3];
        var labels = new string[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                x[i, j] = rng.Normal();
            }

            double p = 1.0 / (1.0 + Math.Exp(-((2.0 * x[i, 0]) - (1.5 * x[i, 1]) + 0.5)));
            labels[i] = rng.NextDouble() < p ? "1" : "0";
        }

        return TrainingTable.ForClassification(x, labels);
    }
}
