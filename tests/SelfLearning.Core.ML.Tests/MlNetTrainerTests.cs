using Microsoft.ML;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests;

public sealed class MlNetTrainerTests
{
    public static TheoryData<string> ReadyTypes() => [.. MlNetModelTypes.All().Select(t => t.ModelType)];

    [Theory]
    [MemberData(nameof(ReadyTypes))]
    public async Task TrainAsync_SameDataParametersAndSeed_GivesByteIdenticalArtifacts(string key)
    {
        var trainer = MlNetModelTypes.All().Single(t => t.ModelType == key);
        var data = DataFor(trainer.TaskKind, seed: 11);

        var first = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 5), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 5), CancellationToken.None);

        first.Artifact.Format.Should().Be(MlNetPredictorLoader.ArtifactFormat);
        second.Artifact.Content.ToArray().Should().Equal(first.Artifact.Content.ToArray());
        second.ValidationMetrics.Should().Equal(first.ValidationMetrics);
    }

    [Fact]
    public async Task TrainAsync_FastTreeBinary_ReportsLibraryAndMlNetMetricsThatAgree()
    {
        var trainer = MlNetModelTypes.FastTreeBinary();

        var result = await trainer.TrainAsync(new TrainingContext(MlNetTestData.ClassificationData(seed: 1), TrainingParameters.Empty, seed: 1), CancellationToken.None);

        result.ValidationMetrics.Should().ContainKeys(TrainingMetrics.LogLoss, TrainingMetrics.Accuracy, "mlnet_auc", "mlnet_accuracy", "mlnet_log_loss");
        result.ValidationMetrics[TrainingMetrics.Accuracy].Should().BeGreaterThan(0.65, "the label follows the features");
        // Both measure the same probabilities on the same rows (ML.NET's from float scores, ours from the loaded engine).
        result.ValidationMetrics[TrainingMetrics.Accuracy].Should().BeApproximately(result.ValidationMetrics["mlnet_accuracy"], 0.01);
        result.ValidationMetrics[TrainingMetrics.LogLoss].Should().BeApproximately(result.ValidationMetrics["mlnet_log_loss"] * Math.Log(2), 0.01,
            "ML.NET reports log loss in bits, the library in nats");
        result.Parameters.Values.Should().ContainKey(MlNetModelTypes.TreesParameter);
    }

    [Fact]
    public async Task TrainAsync_LightGbmRegression_FitsTheNonLinearTarget()
    {
        var result = await MlNetModelTypes.LightGbmRegression().TrainAsync(
            new TrainingContext(MlNetTestData.RegressionData(seed: 2, rows: 1_500), TrainingParameters.Empty, seed: 2), CancellationToken.None);

        result.ValidationMetrics[TrainingMetrics.RSquared].Should().BeGreaterThan(0.8);
        result.ValidationMetrics[TrainingMetrics.RootMeanSquaredError].Should().BeApproximately(result.ValidationMetrics["mlnet_rmse"], 1e-3);
    }

    [Fact]
    public async Task TrainAsync_KMeans_SeparatesTheBlobs()
    {
        var data = MlNetTestData.ClusteringData(seed: 3);
        var trainer = MlNetModelTypes.KMeans();

        var a = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 1), CancellationToken.None);

        a.ValidationMetrics[TrainingMetrics.Silhouette].Should().BeGreaterThan(0.7, "three well separated blobs");
    }

    [Fact]
    public async Task GridSearch_KMeansOnThreeBlobs_PicksThreeClustersBySilhouette()
    {
        var context = new TrainingContext(MlNetTestData.ClusteringData(seed: 5), TrainingParameters.Empty, seed: 5);

        var search = await GridSearch.RunAsync(MlNetModelTypes.KMeans(), context, CancellationToken.None);

        search.Candidates.Should().HaveCount(5, "k from 2 to 6");
        search.BestParameters[MlNetModelTypes.ClustersParameter].Should().Be("3");
    }

    [Fact]
    public async Task TrainAsync_UnknownParameter_ThrowsNamingIt()
    {
        var context = new TrainingContext(MlNetTestData.ClassificationData(seed: 1), TrainingParameters.Empty.With("tres", 10), seed: 1);

        var act = () => MlNetModelTypes.FastTreeBinary().TrainAsync(context, CancellationToken.None);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("tres");
    }

    [Fact]
    public async Task TrainAsync_RegressionDataForABinaryType_ThrowsNamingTheContext()
    {
        var context = new TrainingContext(MlNetTestData.RegressionData(seed: 1), TrainingParameters.Empty, seed: 1);

        var act = () => MlNetModelTypes.FastTreeBinary().TrainAsync(context, CancellationToken.None);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("context").WithMessage("*needs Classification data*Regression*");
    }

    [Fact]
    public async Task TrainAsync_CustomPipeline_NormalizesThenTrains()
    {
        var trainer = new MlNetTrainer(
            "custom-binary",
            TaskKind.BinaryClassification,
            (ml, p) => ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()));

        var result = await trainer.TrainAsync(new TrainingContext(MlNetTestData.ClassificationData(seed: 4), TrainingParameters.Empty, seed: 4), CancellationToken.None);
        var predictor = (IClassificationPredictor)trainer.CreateLoader().Load(result.Artifact);

        predictor.Classes.Should().Equal("no", "yes");
        var probabilities = new double[2];
        predictor.PredictProbabilities([3.0, -3.0, 1.0, 0.0], probabilities);
        probabilities[1].Should().BeGreaterThan(0.9, "2·3 + 1.5·3 + 1 puts this case far on the 'yes' side");
        probabilities.Sum().Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Constructor_ScoreCalibrationTask_ThrowsNamingTheTask()
    {
        var act = () => new MlNetTrainer("x", TaskKind.ScoreCalibration, (ml, p) => ml.Transforms.NormalizeMinMax("Features"));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("taskKind");
    }

    internal static TrainingData DataFor(TaskKind task, int seed) => task switch
    {
        TaskKind.BinaryClassification => MlNetTestData.ClassificationData(seed),
        TaskKind.MulticlassClassification => new TrainingData(
            MlNetTestData.Classification(MlNetTestData.Blobs(600, seed)), MlNetTestData.Classification(MlNetTestData.Blobs(300, seed + 1000))),
        TaskKind.Regression => MlNetTestData.RegressionData(seed),
        _ => MlNetTestData.ClusteringData(seed),
    };
}
