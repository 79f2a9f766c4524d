using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests;

public sealed class MlNetPredictorLoaderTests
{
    [Fact]
    public async Task Load_TamperedArtifact_IsRefused()
    {
        var artifact = await TrainAsync(MlNetModelTypes.FastTreeBinary(), MlNetTestData.ClassificationData(seed: 1));
        byte[] bytes = artifact.Content.ToArray();
        int model = IndexOf(bytes, Encoding.ASCII.GetBytes(MlNetArtifact.ModelEntry));
        bytes[model + 200] ^= 0x5A; // a byte inside the compressed model: its CRC no longer matches

        var act = () => Loader(MlNetModelTypes.FastTreeBinary()).Load(new TrainingArtifact(artifact.Format, bytes));

        act.Should().Throw<ArgumentException>().WithParameterName("artifact");
    }

    [Fact]
    public async Task Load_ModelZipFromAnotherTask_IsRefusedNamingTheLabelColumn()
    {
        var binary = await TrainAsync(MlNetModelTypes.FastTreeBinary(), MlNetTestData.ClassificationData(seed: 1));
        var regression = await TrainAsync(MlNetModelTypes.FastTreeRegression(), MlNetTestData.RegressionData(seed: 1));
        var mixed = Rewrite(binary, model: Entry(regression, MlNetArtifact.ModelEntry));

        var act = () => Loader(MlNetModelTypes.FastTreeBinary()).Load(mixed);

        act.Should().Throw<ArgumentException>().WithParameterName("artifact")
            .WithMessage("*another input schema*'Label' of type Boolean*has Single*");
    }

    [Fact]
    public async Task Load_ManifestOfAnotherWidth_IsRefusedNamingTheFeaturesColumn()
    {
        var binary = await TrainAsync(MlNetModelTypes.FastTreeBinary(), MlNetTestData.ClassificationData(seed: 1));
        var manifest = JsonNode.Parse(Entry(binary, MlNetArtifact.ManifestEntry))!;
        manifest["FeatureCount"] = 5;
        var wider = Rewrite(binary, manifest: Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        var act = () => Loader(MlNetModelTypes.FastTreeBinary()).Load(wider);

        act.Should().Throw<ArgumentException>().WithMessage("*'Features' is a vector of 5 Single values*Vector<Single, 4>*");
    }

    [Fact]
    public async Task Load_ArtifactOfAnotherModelType_IsRefused()
    {
        var artifact = await TrainAsync(MlNetModelTypes.FastTreeBinary(), MlNetTestData.ClassificationData(seed: 1));

        var act = () => Loader(MlNetModelTypes.LightGbmBinary()).Load(artifact);

        act.Should().Throw<ArgumentException>().WithMessage("*'mlnet-fasttree-binary', not 'mlnet-lightgbm-binary'*");
    }

    [Fact]
    public void Load_OtherFormat_IsRefusedNamingTheFormat()
    {
        var act = () => Loader(MlNetModelTypes.FastTreeBinary()).Load(new TrainingArtifact("selflearning.ridge-regression.v1+json", [1, 2, 3]));

        act.Should().Throw<ArgumentException>().WithParameterName("artifact").WithMessage("*'selflearning.ridge-regression.v1+json'*");
    }

    [Fact]
    public async Task Predict_WrongWidth_ThrowsNamingTheFeatures()
    {
        var artifact = await TrainAsync(MlNetModelTypes.LightGbmRegression(), MlNetTestData.RegressionData(seed: 1));
        var predictor = (IRegressionPredictor)Loader(MlNetModelTypes.LightGbmRegression()).Load(artifact);

        var act = () => predictor.Predict([1.0, 2.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("features").WithMessage("*takes 4 features*has 2*");
    }

    [Fact]
    public async Task Load_KMeans_AssignsEachBlobToItsOwnCluster()
    {
        var artifact = await TrainAsync(MlNetModelTypes.KMeans(), MlNetTestData.ClusteringData(seed: 2));
        var predictor = (IClusteringPredictor)Loader(MlNetModelTypes.KMeans()).Load(artifact);

        predictor.ClusterCount.Should().Be(3);
        int[] clusters = [predictor.Assign([6.0, 0, 0, 0]), predictor.Assign([0, 6.0, 0, 0]), predictor.Assign([0, 0, 6.0, 0])];
        clusters.Should().OnlyHaveUniqueItems();
        predictor.Assign([6.2, 0.1, -0.1, 0]).Should().Be(clusters[0]);
    }

    [Fact]
    public void Repack_SameEntriesWrittenAtOtherTimesAndInOtherOrder_GivesIdenticalBytes()
    {
        byte[] a = Zip(new DateTimeOffset(2021, 5, 1, 10, 0, 0, TimeSpan.Zero), ("b.bin", [1, 2, 3]), ("a.txt", [4, 5]));
        byte[] b = Zip(new DateTimeOffset(2025, 9, 9, 23, 59, 58, TimeSpan.Zero), ("a.txt", [4, 5]), ("b.bin", [1, 2, 3]));
        a.Should().NotEqual(b);

        MlNetArtifact.Repack(a).Should().Equal(MlNetArtifact.Repack(b));
    }

    private static MlNetPredictorLoader Loader(MlNetTrainer trainer) => trainer.CreateLoader();

    private static async Task<TrainingArtifact> TrainAsync(MlNetTrainer trainer, TrainingData data) =>
        (await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 1), CancellationToken.None)).Artifact;

    internal static byte[] Entry(TrainingArtifact artifact, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(artifact.Content.ToArray()), ZipArchiveMode.Read);
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    internal static TrainingArtifact Rewrite(TrainingArtifact artifact, byte[]? manifest = null, byte[]? model = null) => new(
        artifact.Format,
        Zip(DateTimeOffset.UnixEpoch.AddYears(30), (MlNetArtifact.ManifestEntry, manifest ?? Entry(artifact, MlNetArtifact.ManifestEntry)), (MlNetArtifact.ModelEntry, model ?? Entry(artifact, MlNetArtifact.ModelEntry))));

    private static byte[] Zip(DateTimeOffset time, params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name);
                entry.LastWriteTime = time;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("Entry name not found.");
    }
}
