using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests;

/// <summary>Attribute columns through the trainer, the artifact and the pooled engines, without the loop.</summary>
public sealed class MlNetTrainerAttributeTests
{
    private static readonly MlNetAttributeColumn Clinic = MlNetAttributeColumn.Categorical("clinic");
    private static readonly MlNetAttributeColumn Note = MlNetAttributeColumn.Text("note");

    public static TheoryData<string, MlNetAttributeKind> Signals() => new()
    {
        { "clinic", MlNetAttributeKind.Categorical },
        { "clinic", MlNetAttributeKind.HashedCategorical },
        { "note", MlNetAttributeKind.Text },
    };

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task TrainAsync_SignalOnlyInAnAttribute_LearnsItWhereTheFeaturesAloneCannot(string signal, MlNetAttributeKind kind)
    {
        var data = Data(signal);
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(new MlNetAttributeColumn(signal, kind));

        var withAttribute = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 3), CancellationToken.None);
        var featuresOnly = await MlNetModelTypes.FastTreeBinary().TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 3), CancellationToken.None);

        withAttribute.ValidationMetrics["mlnet_auc"].Should().BeGreaterThan(0.75, $"the label follows '{signal}'");
        featuresOnly.ValidationMetrics["mlnet_auc"].Should().BeLessThan(0.6, "the features are noise");
        withAttribute.ValidationMetrics[TrainingMetrics.Accuracy].Should().BeApproximately(withAttribute.ValidationMetrics["mlnet_accuracy"], 0.01,
            "the pooled engines (library metrics) and the batch IDataView (ML.NET's) read the same attributes");
    }

    [Theory]
    [InlineData(MlNetAttributeKind.Categorical)]
    [InlineData(MlNetAttributeKind.HashedCategorical)]
    public async Task TrainAsync_SameDataParametersAndSeedWithAttributes_GivesByteIdenticalArtifacts(MlNetAttributeKind clinic)
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(new MlNetAttributeColumn("clinic", clinic), Note);
        var data = Data("note");

        var first = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 5), CancellationToken.None);
        var second = await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 5), CancellationToken.None);

        second.Artifact.Content.ToArray().Should().Equal(first.Artifact.Content.ToArray());
        second.ValidationMetrics.Should().Equal(first.ValidationMetrics);
    }

    [Fact]
    public async Task TrainAsync_WithAttributes_StoresTheColumnsAndKindsInTheManifestAndTheModelsInputSchema()
    {
        var artifact = (await MlNetModelTypes.FastTreeBinary().WithAttributes(Clinic, Note)
            .TrainAsync(new TrainingContext(Data("clinic"), TrainingParameters.Empty, seed: 1), CancellationToken.None)).Artifact;

        var manifest = JsonNode.Parse(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ManifestEntry))!;
        manifest["Version"]!.GetValue<int>().Should().Be(2);
        manifest["Attributes"]!.ToJsonString().Should().Be("""[{"Name":"clinic","Kind":"Categorical"},{"Name":"note","Kind":"Text"}]""");
        using var model = new MemoryStream(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ModelEntry));
        new MLContext(0).Model.Load(model, out var schema);
        schema.Select(c => (c.Name, c.Type.ToString())).Should().BeEquivalentTo(
            [("Features", "Vector<Single, 4>"), ("Label", "Boolean"), ("clinic", "String"), ("note", "String")]);
    }

    [Fact]
    public async Task TrainAsync_WithoutAttributes_WritesAVersion1ManifestAsBefore()
    {
        var artifact = (await MlNetModelTypes.FastTreeBinary()
            .TrainAsync(new TrainingContext(Data("clinic"), TrainingParameters.Empty, seed: 1), CancellationToken.None)).Artifact;

        string manifest = Encoding.UTF8.GetString(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ManifestEntry));

        manifest.Should().Be("""{"Version":1,"ModelType":"mlnet-fasttree-binary","TaskKind":1,"FeatureCount":4,"Classes":["no","yes"]}""");
    }

    [Fact]
    public async Task Predict_PooledEngineWithAttributes_MatchesTheBatchScoringOfTheHeldOutCases()
    {
        var data = Data("note");
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(Clinic, Note);
        var artifact = (await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 2), CancellationToken.None)).Artifact;
        var predictor = (MlNetClassificationPredictor)trainer.CreateLoader().Load(artifact);

        var batch = predictor.Score(data.Validation).GetColumn<float>("Probability").ToArray();
        var single = new double[2];
        for (int i = 0; i < data.Validation.RowCount; i++)
        {
            predictor.PredictProbabilities(data.Validation.GetFeatures(i), data.Validation.GetAttributes(i), single);
            single[1].Should().BeApproximately(batch[i], 1e-6, $"row {i}");
        }

        predictor.AttributeNames.Should().Equal("clinic", "note");
    }

    [Fact]
    public async Task Predict_MissingAttribute_IsReadAsEmptyWhichEncodesLikeAnUnseenCategory()
    {
        var data = Data("clinic");
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(Clinic, Note);
        var predictor = (IClassificationPredictor)trainer.CreateLoader().Load(
            (await trainer.TrainAsync(new TrainingContext(data, TrainingParameters.Empty, seed: 2), CancellationToken.None)).Artifact);
        double[] x = [0.1, -0.2, 0.3, 0.0];

        double missing = Probability(predictor, x, new Dictionary<string, string>());
        double empty = Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "", ["note"] = "" });
        double unseen = Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "Z", ["note"] = "" });
        double a = Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "A" });
        double c = Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "C" });

        empty.Should().Be(missing);
        unseen.Should().Be(missing);
        a.Should().BeGreaterThan(c + 0.3, "clinic A says yes far more often than C");
        Probability(predictor, x, TrainingTable.NoAttributes).Should().Be(missing, "a model with attributes served without any reads them all as empty");
    }

    [Fact]
    public async Task TrainAsync_DeclaredAttributeNoTrainingCaseCarries_ThrowsNamingIt()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(Clinic, MlNetAttributeColumn.Text("ward"));

        var act = () => trainer.TrainAsync(new TrainingContext(Data("clinic"), TrainingParameters.Empty, seed: 1), CancellationToken.None);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("context")
            .WithMessage("Attribute column 'ward' of trainer 'mlnet-fasttree-binary' is empty in all 1500 training cases*");
    }

    [Fact]
    public async Task Predict_MissingHashedCategory_IsReadAsEmpty()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.HashedCategorical("clinic"));
        var predictor = (IClassificationPredictor)trainer.CreateLoader().Load(
            (await trainer.TrainAsync(new TrainingContext(Data("clinic"), TrainingParameters.Empty, seed: 2), CancellationToken.None)).Artifact);
        double[] x = [0.1, -0.2, 0.3, 0.0];

        double missing = Probability(predictor, x, TrainingTable.NoAttributes);

        Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "" }).Should().Be(missing);
        Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "A" })
            .Should().BeGreaterThan(Probability(predictor, x, new Dictionary<string, string> { ["clinic"] = "C" }) + 0.3);
    }

    [Fact]
    public async Task Load_ManifestDeclaringAnotherColumn_IsRefusedNamingIt()
    {
        var artifact = await TrainWithClinicAsync();
        var manifest = JsonNode.Parse(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ManifestEntry))!;
        manifest["Attributes"]![0]!["Name"] = "ward";
        var other = MlNetPredictorLoaderTests.Rewrite(artifact, manifest: Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        var act = () => MlNetModelTypes.FastTreeBinary().CreateLoader().Load(other);

        act.Should().Throw<ArgumentException>().WithParameterName("artifact")
            .WithMessage("*another input schema*declares Categorical attribute column 'ward'*no such column*");
    }

    [Fact]
    public async Task Load_ManifestWithoutTheModelsAttributeColumns_IsRefusedNamingTheUndeclaredColumn()
    {
        var artifact = await TrainWithClinicAsync();
        var manifest = JsonNode.Parse(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ManifestEntry))!.AsObject();
        manifest.Remove("Attributes");
        manifest["Version"] = 1;
        var stripped = MlNetPredictorLoaderTests.Rewrite(artifact, manifest: Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        var act = () => MlNetModelTypes.FastTreeBinary().CreateLoader().Load(stripped);

        act.Should().Throw<ArgumentException>().WithMessage("*has input column 'clinic' (String), which the manifest does not declare*none*");
    }

    [Fact]
    public async Task Load_ModelZipOfAnotherAttributeSchema_IsRefused()
    {
        var clinic = await TrainWithClinicAsync();
        var note = (await MlNetModelTypes.FastTreeBinary().WithAttributes(Note)
            .TrainAsync(new TrainingContext(Data("note"), TrainingParameters.Empty, seed: 1), CancellationToken.None)).Artifact;
        var mixed = MlNetPredictorLoaderTests.Rewrite(clinic, model: MlNetPredictorLoaderTests.Entry(note, MlNetArtifact.ModelEntry));

        var act = () => MlNetModelTypes.FastTreeBinary().CreateLoader().Load(mixed);

        act.Should().Throw<ArgumentException>().WithMessage("*attribute column 'clinic'*no such column*");
    }

    [Fact]
    public async Task Load_ManifestWithAnUnknownKind_IsRefused()
    {
        var artifact = await TrainWithClinicAsync();
        var manifest = JsonNode.Parse(MlNetPredictorLoaderTests.Entry(artifact, MlNetArtifact.ManifestEntry))!;
        manifest["Attributes"]![0]!["Kind"] = "Ordinal";
        var other = MlNetPredictorLoaderTests.Rewrite(artifact, manifest: Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        var act = () => MlNetModelTypes.FastTreeBinary().CreateLoader().Load(other);

        act.Should().Throw<ArgumentException>().WithParameterName("artifact").WithMessage("*manifest*Ordinal*");
    }

    private static double Probability(IClassificationPredictor predictor, double[] x, IReadOnlyDictionary<string, string> attributes)
    {
        var p = new double[2];
        predictor.PredictProbabilities(x, attributes, p);
        return p[1];
    }

    private static async Task<TrainingArtifact> TrainWithClinicAsync() =>
        (await MlNetModelTypes.FastTreeBinary().WithAttributes(Clinic)
            .TrainAsync(new TrainingContext(Data("clinic"), TrainingParameters.Empty, seed: 1), CancellationToken.None)).Artifact;

    private static TrainingData Data(string signal) => new(
        MlNetTestData.ClassificationWithAttributes(MlNetTestData.Attributed(1_500, seed: 21, signal)),
        MlNetTestData.ClassificationWithAttributes(MlNetTestData.Attributed(600, seed: 22, signal)));
}
