using System.Text;
using SelfLearning.Calibration;
using SelfLearning.Evaluation;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class CalibrationTrainerTests
{
    /// <summary>The host sharpens the true log-odds by this factor: an over-confident model.</summary>
    private const double Overconfidence = 3.0;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Train_HeldOutOverconfidentScores_BeatsTheUncalibratedBaseline(bool rawMargins)
    {
        // Known structure: true log-odds z ~ N(0, 1.5²), outcome ~ Bernoulli(σ(z)); the host reports 3z as its
        // margin (or σ(3z) as its confidence), so its probabilities are far too close to 0 and 1. The baseline is
        // the host's own confidence (σ of the margin). A calibrator fitted on 2000 cases must, on 1000 held-out
        // ones, cut log loss by at least 0.1 nats, the Brier score by at least 0.01 and ECE below half the baseline's
        // and below 0.05 (here: log loss 0.795 → 0.540, Brier 0.211 → 0.181, ECE 0.166 → 0.038).
        var data = new TrainingData(Generate(2000, 11, rawMargins), Generate(1000, 12, rawMargins));

        var result = await new CalibrationTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 7), CancellationToken.None);

        var m = result.ValidationMetrics;
        m["baseline_ece"].Should().BeGreaterThan(0.08, "the synthetic host is clearly over-confident");
        m[TrainingMetrics.LogLoss].Should().BeLessThan(m["baseline_log_loss"] - 0.1);
        m[TrainingMetrics.BrierScore].Should().BeLessThan(m["baseline_brier"] - 0.01);
        m[TrainingMetrics.ExpectedCalibrationError].Should().BeLessThan(Math.Min(0.05, m["baseline_ece"] / 2));
        m.Should().ContainKey(CalibrationTrainer.CrossValidatedLogLoss);
    }

    [Fact]
    public async Task Train_ValidationMetrics_AreThoseOfTheLoadedCalibratorOnTheValidationSplit()
    {
        var data = new TrainingData(Generate(600, 13, rawMargins: false), Generate(300, 14, rawMargins: false));

        var result = await new CalibrationTrainer().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 3), CancellationToken.None);

        var loaded = PredictorLoader.Load(result.Artifact).Should().BeAssignableTo<ICalibrationPredictor>().Subject;
        loaded.FeatureCount.Should().Be(1);
        var calibrated = new double[data.Validation.RowCount];
        loaded.Calibrate(data.Validation.Scores, calibrated);
        result.ValidationMetrics[TrainingMetrics.LogLoss].Should().Be(CalibrationMetrics.LogLoss(calibrated, data.Validation.Outcomes));
        result.ValidationMetrics[TrainingMetrics.BrierScore].Should().Be(CalibrationMetrics.BrierScore(calibrated, data.Validation.Outcomes));
        result.ValidationMetrics[TrainingMetrics.ExpectedCalibrationError]
            .Should().Be(CalibrationMetrics.ExpectedCalibrationError(calibrated, data.Validation.Outcomes));
        result.ValidationMetrics["baseline_log_loss"].Should().Be(CalibrationMetrics.LogLoss(data.Validation.Scores, data.Validation.Outcomes));
    }

    [Fact]
    public async Task Train_Twice_GivesByteIdenticalSerializerArtifactNamingTheChosenMethod()
    {
        var data = new TrainingData(Generate(500, 15, rawMargins: true), Generate(200, 16, rawMargins: true));
        var trainer = new CalibrationTrainer();

        var first = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 5), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, 5), CancellationToken.None);

        first.Artifact.Format.Should().Be(CalibrationTrainer.ArtifactFormat);
        first.Artifact.Content.ToArray().Should().Equal(second.Artifact.Content.ToArray());
        var expected = CalibratorSelector.Select(data.Training.Scores, data.Training.Outcomes, new CalibratorSelectorOptions { Seed = 5 });
        Encoding.UTF8.GetString(first.Artifact.Content.Span).Should().Be(CalibratorSerializer.Serialize(expected.Calibrator));
        first.Parameters[CalibrationTrainer.MethodParameter].Should().Be(expected.Chosen.ToString().ToLowerInvariant());

        // Rerunning with the parameters used refits the chosen method without cross-validation: the same artifact.
        var rerun = await trainer.TrainAsync(new TrainingContext(data, first.Parameters, 99), CancellationToken.None);
        rerun.Artifact.Content.ToArray().Should().Equal(first.Artifact.Content.ToArray());
    }

    [Theory]
    [InlineData("platt", CalibrationMethod.Platt)]
    [InlineData("isotonic", CalibrationMethod.Isotonic)]
    [InlineData("temperature", CalibrationMethod.Temperature)]
    [InlineData("histogram", CalibrationMethod.HistogramBinning)]
    [InlineData("beta", CalibrationMethod.Beta)]
    public async Task Train_FixedMethod_FitsThatMethodAndReportsProgress(string name, CalibrationMethod method)
    {
        var data = new TrainingData(Generate(400, 17, rawMargins: false), Generate(200, 18, rawMargins: false));
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress(reports);

        var result = await new CalibrationTrainer().TrainAsync(
            new TrainingContext(data, TrainingParameters.Empty.With("method", name), 0, progress), CancellationToken.None);

        ((ICalibrator)PredictorLoader.Load(result.Artifact)).Method.Should().Be(method);
        result.ValidationMetrics.Should().NotContainKey(CalibrationTrainer.CrossValidatedLogLoss);
        reports.Select(r => r.Stage).Should().Equal("fitting", "validating");
        reports.Select(r => r.Percent).Should().BeInAscendingOrder();
    }

    [Theory]
    [InlineData("method", "sigmoid")]
    [InlineData("folds", "1")]
    [InlineData("folds", "five")]
    [InlineData("bins", "0")]
    [InlineData("temperature", "2")]
    public async Task Train_BadParameter_ThrowsNamingIt(string name, string value)
    {
        var data = new TrainingData(Generate(100, 19, rawMargins: false), Generate(50, 20, rawMargins: false));

        var act = () => new CalibrationTrainer().TrainAsync(
            new TrainingContext(data, TrainingParameters.Empty.With(name, value), 0), CancellationToken.None);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be(name);
    }

    [Fact]
    public async Task Train_FeatureData_ThrowsNamingTheContext()
    {
        var table = TrainingTable.ForClustering(new double[,] { { 1 }, { 2 } });
        var act = () => new CalibrationTrainer().TrainAsync(
            new TrainingContext(new TrainingData(table, table), TrainingParameters.Empty, 0), CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("context");
    }

    [Fact]
    public async Task Train_SingleClassTrainingSplit_ThrowsInsteadOfFittingAConstant()
    {
        var training = TrainingTable.ForCalibration([0.2, 0.4, 0.6, 0.8, 0.9], [true, true, true, true, true]);
        var validation = TrainingTable.ForCalibration([0.3, 0.7], [false, true]);
        var act = () => new CalibrationTrainer().TrainAsync(
            new TrainingContext(new TrainingData(training, validation), TrainingParameters.Empty, 0), CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void Load_ArtifactThatIsNotACalibrator_ThrowsNamingTheArtifact()
    {
        var artifact = new TrainingArtifact(CalibrationTrainer.ArtifactFormat, Encoding.UTF8.GetBytes("{\"format\":\"other\"}"));

        var act = () => PredictorLoader.Load(artifact);

        act.Should().Throw<ArgumentException>().WithParameterName("artifact");
    }

    /// <summary>Over-confident host: margin 3z (or confidence σ(3z)) for true log-odds z ~ N(0, 1.5²).</summary>
    internal static TrainingTable Generate(int n, int seed, bool rawMargins)
    {
        var rng = TrainingReference.Rng(seed);
        var scores = new double[n];
        var outcomes = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double z = 1.5 * rng.Normal();
            outcomes[i] = rng.NextDouble() < 1.0 / (1.0 + Math.Exp(-z));
            double margin = Overconfidence * z;
            scores[i] = rawMargins ? margin : 1.0 / (1.0 + Math.Exp(-margin));
        }

        return TrainingTable.ForCalibration(scores, outcomes);
    }

    private sealed class SynchronousProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
