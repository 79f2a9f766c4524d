using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class SnapshotTrainingDataTests
{
    private static readonly DatasetSplitter Splitter = new(0.6, 0.2, 0.2);

    [Fact]
    public void ForCalibration_Snapshot_UsesTrainAndValidationSplitsLeavesTestOutAndMarksCorrectPredictions()
    {
        var snapshot = Snapshot(300, (id, i) => Case(id, i) with
        {
            PredictedLabel = i % 3 == 0 ? "flu" : "cold",
            Label = "cold",
            PredictedConfidence = (i % 100) / 100.0,
            Input = new CaseInput { RawScore = i - 150.0 },
        });

        var data = SnapshotTrainingData.ForCalibration(snapshot);

        data.DatasetId.Should().Be(snapshot.Version);
        var train = snapshot.Cases.Where(c => c.Split == DatasetSplit.Train).ToArray();
        var validation = snapshot.Cases.Where(c => c.Split == DatasetSplit.Validation).ToArray();
        snapshot.Cases.Count(c => c.Split == DatasetSplit.Test).Should().BeGreaterThan(0, "the test split exists and must be left out");
        data.Training.RowCount.Should().Be(train.Length);
        data.Validation.RowCount.Should().Be(validation.Length);
        data.Training.Scores.ToArray().Should().Equal(train.Select(c => c.PredictedConfidence));
        data.Training.Outcomes.ToArray().Should().Equal(train.Select(c => c.PredictedLabel == c.Label));
        data.Validation.Scores.ToArray().Should().Equal(validation.Select(c => c.PredictedConfidence));

        var raw = SnapshotTrainingData.ForCalibration(snapshot, CalibrationScoreSource.RawScore);
        raw.Validation.Scores.ToArray().Should().Equal(validation.Select(c => c.Input.RawScore!.Value));
    }

    [Fact]
    public void ForFeatureTasks_CasesWithAttributes_CarryEachCasesAnonymisedAttributesByReference()
    {
        var snapshot = Snapshot(200, (id, i) => Case(id, i) with
        {
            Input = new CaseInput { Features = [i, -i] },
            Attributes = i % 4 == 0
                ? System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty
                : System.Collections.Immutable.ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal, [new("clinic", "c" + (i % 3))]),
        });

        var classification = SnapshotTrainingData.ForClassification(snapshot);
        var holdout = SnapshotTrainingData.Holdout(TaskKind.BinaryClassification, snapshot, CalibrationScoreSource.Confidence, 2);

        var train = snapshot.Cases.Where(c => c.Split == DatasetSplit.Train).ToArray();
        var test = snapshot.Cases.Where(c => c.Split == DatasetSplit.Test).ToArray();
        classification.Training.HasAttributes.Should().BeTrue();
        for (int r = 0; r < train.Length; r++)
        {
            classification.Training.GetAttributes(r).Should().BeSameAs(train[r].Attributes);
        }

        holdout.GetAttributes(test.Length - 1).Should().BeSameAs(test[^1].Attributes);
        SnapshotTrainingData.ForRegression(Snapshot(50, (id, i) => Case(id, i) with { Label = "1", Input = new CaseInput { Features = [i] } }))
            .Training.HasAttributes.Should().BeFalse("no case of that snapshot has attributes");
    }

    [Fact]
    public void ForClassificationAndRegression_Snapshot_TakeFeaturesAndLabelsInCaseIdOrder()
    {
        var snapshot = Snapshot(200, (id, i) => Case(id, i) with
        {
            Label = (i * 0.5).ToString(CultureInfo.InvariantCulture),
            Input = new CaseInput { Features = [i, -i, i % 7] },
        });

        var classification = SnapshotTrainingData.ForClassification(snapshot);
        var regression = SnapshotTrainingData.ForRegression(snapshot);

        var train = snapshot.Cases.Where(c => c.Split == DatasetSplit.Train).ToArray();
        classification.Training.FeatureCount.Should().Be(3);
        classification.Training.Labels.Should().Equal(train.Select(c => c.Label));
        for (int r = 0; r < train.Length; r++)
        {
            classification.Training.GetFeatures(r).ToArray().Should().Equal(train[r].Input.Features);
        }

        regression.Training.Targets.ToArray().Should().Equal(train.Select(c => double.Parse(c.Label, CultureInfo.InvariantCulture)));
        SnapshotTrainingData.ForClustering(snapshot).Validation.RowCount.Should().Be(snapshot.Cases.Count(c => c.Split == DatasetSplit.Validation));
    }

    [Fact]
    public void ForCalibration_GrowingDataset_KeepsEveryCaseInItsSplit()
    {
        var small = SnapshotTrainingData.ForCalibration(Snapshot(100, Case));
        var grown = Snapshot(400, Case);

        var smallTrainIds = Snapshot(100, Case).Cases.Where(c => c.Split == DatasetSplit.Train).Select(c => c.Id);
        grown.Cases.Where(c => smallTrainIds.Contains(c.Id)).Should().OnlyContain(c => c.Split == DatasetSplit.Train);
        small.Training.RowCount.Should().Be(smallTrainIds.Count());
    }

    [Fact]
    public async Task ForCalibration_OverconfidentHost_TrainsACalibratorThatBeatsTheBaseline()
    {
        // End to end: reviewed cases of an over-confident host (confidence σ(3z), right with probability σ(z)).
        var rng = new Random(5);
        var snapshot = Snapshot(1500, (id, i) =>
        {
            double z = 1.5 * TrainingReference.Normal(rng);
            bool right = rng.NextDouble() < 1.0 / (1.0 + Math.Exp(-z));
            return Case(id, i) with
            {
                PredictedLabel = "a",
                Label = right ? "a" : "b",
                PredictedConfidence = 1.0 / (1.0 + Math.Exp(-3 * z)),
            };
        });

        var result = await new CalibrationTrainer().TrainAsync(
            new TrainingContext(SnapshotTrainingData.ForCalibration(snapshot), TrainingParameters.Empty, 0), CancellationToken.None);

        result.ValidationMetrics[TrainingMetrics.LogLoss].Should().BeLessThan(result.ValidationMetrics["baseline_log_loss"] - 0.05);
    }

    [Fact]
    public void Adapters_BadCases_ThrowNamingTheSnapshotAndTheCase()
    {
        var noRaw = Snapshot(50, Case);
        var ragged = Snapshot(50, (id, i) => Case(id, i) with { Input = new CaseInput { Features = i == 7 ? [1.0] : [1.0, 2.0] } });
        var notNumber = Snapshot(50, (id, i) => Case(id, i) with { Label = "high", Input = new CaseInput { Features = [1.0] } });
        var trainOnly = DatasetSnapshot.Create(
            [Case("only", 0) with { Split = new DatasetSplitter(1.0, 0.0, 0.0).Assign("only") }],
            new DatasetProvenance(),
            new DatasetSplitter(1.0, 0.0, 0.0));

        FluentActions.Invoking(() => SnapshotTrainingData.ForCalibration(noRaw, CalibrationScoreSource.RawScore))
            .Should().Throw<ArgumentException>().WithParameterName("snapshot").WithMessage("*has no raw score*");
        FluentActions.Invoking(() => SnapshotTrainingData.ForClassification(ragged))
            .Should().Throw<ArgumentException>().WithParameterName("snapshot").WithMessage("*has 1 features*");
        FluentActions.Invoking(() => SnapshotTrainingData.ForRegression(notNumber))
            .Should().Throw<ArgumentException>().WithParameterName("snapshot").WithMessage("*'high'*");
        FluentActions.Invoking(() => SnapshotTrainingData.ForCalibration(trainOnly))
            .Should().Throw<ArgumentException>().WithParameterName("snapshot").WithMessage("*no Validation cases*");
        FluentActions.Invoking(() => SnapshotTrainingData.ForCalibration(noRaw, (CalibrationScoreSource)9))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("score");
    }

    private static DatasetSnapshot Snapshot(int count, Func<string, int, AnonymizedCase> make) => DatasetSnapshot.Create(
        Enumerable.Range(0, count).Select(i => make($"case-{i:D4}", i) with { Split = Splitter.Assign($"case-{i:D4}") }),
        new DatasetProvenance(),
        Splitter);

    private static AnonymizedCase Case(string id, int i) => new()
    {
        Id = id,
        ModelName = "triage",
        ModelVersion = "1",
        PredictedLabel = "cold",
        PredictedConfidence = 0.9,
        Label = i % 2 == 0 ? "cold" : "flu",
        Split = Splitter.Assign(id),
    };
}
