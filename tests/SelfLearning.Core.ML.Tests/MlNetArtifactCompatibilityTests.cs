using SelfLearning.Training;

namespace SelfLearning.ML.Tests;

/// <summary>Artifacts written before attribute columns existed still load and serve the same probabilities.</summary>
public sealed class MlNetArtifactCompatibilityTests
{
    [Fact]
    public void Load_ArtifactWrittenBeforeAttributeColumns_ServesTheProbabilitiesItServedThen()
    {
        // Data/make_fasttree_binary_v1.cs.txt: trained at commit 1f0a116, with its probabilities for these inputs.
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "fasttree-binary-v1.zip"));
        var artifact = new TrainingArtifact(MlNetPredictorLoader.ArtifactFormat, bytes);

        var predictor = (IClassificationPredictor)MlNetModelTypes.FastTreeBinary().CreateLoader().Load(artifact);

        predictor.AttributeNames.Should().BeEmpty();
        double[][] inputs = [[0.3, -1.2, 0.8, 1.5], [-1.0, 1.0, -0.5, 0.0], [1.9, -1.9, 1.9, -1.9]];
        double[] expected = [0.38287681341171265, 0.26073959469795227, 0.8867812156677246];
        var p = new double[2];
        for (int i = 0; i < inputs.Length; i++)
        {
            predictor.PredictProbabilities(inputs[i], new Dictionary<string, string> { ["clinic"] = "A" }, p);
            p[1].Should().Be(expected[i], "input {0} is served as before; attributes the model does not read are ignored", i);
        }
    }

    [Fact]
    public async Task TrainAsync_WithoutAttributeColumns_WritesTheSameBytesAsBeforeThem()
    {
        byte[] before = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "fasttree-binary-v1.zip"));
        var random = new Random(3);
        var x = new double[600, 4];
        var labels = new string[600];
        for (int i = 0; i < 600; i++)
        {
            double margin = 0;
            for (int j = 0; j < 4; j++)
            {
                x[i, j] = (random.NextDouble() * 4) - 2;
                margin += (j + 1) * 0.5 * x[i, j] * (j % 2 == 0 ? 1 : -1);
            }

            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? "yes" : "no";
        }

        var table = TrainingTable.ForClassification(x, labels);
        var parameters = TrainingParameters.Empty.With(MlNetModelTypes.TreesParameter, 10).With(MlNetModelTypes.LeavesParameter, 4);

        var now = await MlNetModelTypes.FastTreeBinary().TrainAsync(new TrainingContext(new TrainingData(table, table), parameters, 1), CancellationToken.None);

        now.Artifact.Content.ToArray().Should().Equal(before, "a model without attribute columns is written exactly as before (manifest version 1)");
    }
}
