using SelfLearning.Training;
using SelfLearning.Training.Kernels;

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
    public void Fit_WideReferenceProblem_UsesLbfgsAndAgreesWithScikitLearn()
    {
        // 2,000 rows × 500 features: 501 parameters, above the Newton limit. The features come from SplitMix64 as the
        // generator draws them; the labels, optimum and probabilities from scikit-learn's newton-cg to 1e-10.
        var reference = TrainingReference.Case("logistic", "wide");
        int n = reference.GetProperty("rows").GetInt32();
        int d = reference.GetProperty("features").GetInt32();
        ulong state = reference.GetProperty("seed").GetUInt64();
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = (SplitMix64(ref state) - 0.5) * Math.Sqrt(12.0);
            }

            _ = SplitMix64(ref state); // the label's uniform
        }

        (d + 1).Should().BeGreaterThan(LogisticRegressionTrainer.NewtonParameterLimit);
        var table = TrainingTable.ForClassification(x, reference.Strings("y"));

        var (model, iterations, converged) = LogisticRegressionTrainer.Fit(table, reference.GetProperty("l2").GetDouble(), 100, 1e-10);

        converged.Should().BeTrue();
        iterations.Should().BeGreaterThan(5, "L-BFGS, not a two-or-three-step Newton fit");
        model.Classes.Should().Equal(reference.Strings("classes"));
        // The stopping rule (largest gradient component ≤ 1e-10 per row, 2e-7 here) leaves the coefficients within about
        // that much of the optimum (λ = 1, the Hessian ≥ I): Newton overshoots the rule quadratically, L-BFGS stops about
        // there (1.9e-8 at most when this was written; scikit-learn's reference has a gradient of 9e-9). So the
        // coefficients are held to 1e-7 absolute and the predictions to 1e-6 relative.
        TrainingReference.ShouldAgree(model.Coefficients[0], reference.Rows("coefficients")[0], 1e-6, 1e-7);
        TrainingReference.ShouldAgree(model.Intercepts, reference.Vector("intercepts"), 1e-6, 1e-7);
        var probabilities = new double[2];
        var expected = reference.Rows("probabilities");
        var row = new double[d];
        for (int i = 0; i < reference.GetProperty("test_rows").GetInt32(); i++)
        {
            for (int j = 0; j < d; j++)
            {
                row[j] = x[i, j];
            }

            model.PredictProbabilities(row, probabilities);
            TrainingReference.ShouldAgree(probabilities, expected[i]);
        }
    }

    [Fact]
    public void Fit_WideMulticlassTable_UsesLbfgsAndEndsWhereTheGradientMeetsTheStoppingRule()
    {
        // 3 classes × 101 parameters = 303, above the Newton limit.
        const int n = 600;
        const int d = 100;
        var rng = TrainingReference.Rng(17);
        var x = new double[n, d];
        var labels = new string[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = rng.Normal() + (j % 3 == 0 ? 5.0 : 0.0);
            }

            double m = x[i, 0] - x[i, 1] + (0.5 * x[i, 2]) + rng.Normal();
            labels[i] = m < 4.0 ? "a" : m < 5.5 ? "b" : "c";
        }

        var table = TrainingTable.ForClassification(x, labels);
        (3 * (d + 1)).Should().BeGreaterThan(LogisticRegressionTrainer.NewtonParameterLimit);

        var (model, iterations, converged) = LogisticRegressionTrainer.Fit(table, 0.5, 100, 1e-10);

        converged.Should().BeTrue();
        iterations.Should().BeGreaterThan(5);
        model.Intercepts.Sum().Should().BeApproximately(0.0, 1e-12, "the zero-sum representative of the intercepts is reported");

        // The objective's gradient at the reported model (standardised coefficients) meets the rule: ≤ 1e-10 per row.
        var scaler = StandardizedColumns.FitScaler(table.FeatureValues, n, d);
        int[] y = labels.Select(l => l[0] - 'a').ToArray();
        var theta = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(3 * (d + 1));
        for (int k = 0; k < 3; k++)
        {
            for (int j = 0; j < d; j++)
            {
                theta[(k * (d + 1)) + j] = model.Coefficients[k][j];
            }

            theta[(k * (d + 1)) + d] = model.Intercepts[k];
        }

        var (_, gradient) = new SoftmaxObjective(table, scaler, y, 3, 0.5).ValueAndGradient(theta);
        gradient.InfinityNorm().Should().BeLessThanOrEqualTo(1e-10 * n);
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

    /// <summary>SplitMix64's next double in [0, 1), as benchmarks/reference/benchmark_data.py and the generator draw them.</summary>
    private static double SplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
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
