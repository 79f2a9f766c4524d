using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests.Hosting;

/// <summary>
/// Attribute columns through the hosted loop: collected and anonymised with the cases, trained on, gated on the held-out
/// cases, and served from the host's raw attributes anonymised the same way; in memory and on SQLite across a restart.
/// </summary>
public sealed class MlNetAttributeLoopTests
{
    private const string Model = MlNetTestData.Model;

    [Fact]
    public async Task RunCycleAsync_SignalInAnIdentifyingCategoricalAttribute_ServesItFromTheRawValues()
    {
        // "clinic" is identifying: the datasets hold its pseudonyms, never "A"; serving must pseudonymise the host's "A"
        // with the same key for the model to recognise it.
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"));
        using var host = MlNetLoopHost.Build(
            trainer, new InMemoryCaseSource(MlNetTestData.Attributed(3_000, seed: 1, "clinic")), anonymizer: o => o.IdentifyingAttributes = ["clinic"]);
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var heldOut = MlNetTestData.Attributed(600, seed: 32, "clinic").ToList();
        var served = heldOut.Select(c => predictions.Predict(Model, c.Id, c.Input, c.Attributes)).ToList();
        served.Should().AllSatisfy(p => p.ModelVersion.Should().Be(first.Version));
        MlNetTestData.Auc(served.Select(YesProbability).ToList(), heldOut.Select(c => c.ValidatedLabel == "yes").ToList())
            .Should().BeGreaterThan(0.75, "the label follows the clinic");
        // Without the attribute (or with its raw value unpseudonymised, an unseen category) the model has only noise to go on.
        var withoutAttributes = heldOut.Select(c => YesProbability(predictions.Predict(Model, c.Id, c.Input))).ToList();
        MlNetTestData.Auc(withoutAttributes, heldOut.Select(c => c.ValidatedLabel == "yes").ToList()).Should().BeLessThan(0.6);
    }

    [Fact]
    public async Task RunCycleAsync_SignalInATextAttribute_LearnsItAndServesLikeTheHeldOutEvaluation()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("note"));
        using var host = MlNetLoopHost.Build(trainer, new InMemoryCaseSource(MlNetTestData.Attributed(3_000, seed: 2, "note")));
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var heldOut = MlNetTestData.Attributed(600, seed: 42, "note").ToList();
        var served = heldOut.Select(c => predictions.Predict(Model, c.Id, c.Input, c.Attributes)).ToList();
        double accuracy = served.Zip(heldOut).Count(p => p.First.Label == p.Second.ValidatedLabel) / (double)heldOut.Count;
        MlNetTestData.Auc(served.Select(YesProbability).ToList(), heldOut.Select(c => c.ValidatedLabel == "yes").ToList())
            .Should().BeGreaterThan(0.75, "the label follows the note");
        accuracy.Should().BeApproximately(first.Verdict!.CandidateMetrics[TrainingMetrics.Accuracy], 0.06,
            "served on new cases from their raw attributes, the champion is as accurate as the gate measured it on the held-out (anonymised) cases");
    }

    [Fact]
    public async Task RunCycleAsync_OnSqliteWithAttributes_TheChampionServesTheSameAfterARestart()
    {
        string directory = Path.Combine(Path.GetTempPath(), "selflearning-mlnet-attributes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string database = Path.Combine(directory, "loop.db");
        var cases = MlNetTestData.Attributed(3_000, seed: 3, "note").ToList();
        var heldOut = MlNetTestData.Attributed(300, seed: 52, "note").ToList();
        static MlNetTrainer Trainer() =>
            MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("note"));
        try
        {
            int version;
            List<Prediction> before;
            using (var host = MlNetLoopHost.Build(Trainer(), new InMemoryCaseSource(cases), stores: b => b.UseSqlite(database)))
            {
                var (loop, predictions) = await MlNetLoopHost.StartAsync(host);
                var first = await loop.RunCycleAsync(Model);
                first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
                version = first.Version!.Value;
                before = heldOut.Select(c => predictions.Predict(Model, c.Id, c.Input, c.Attributes)).ToList();
                await host.StopAsync();
            }

            MlNetTestData.Auc(before.Select(YesProbability).ToList(), heldOut.Select(c => c.ValidatedLabel == "yes").ToList()).Should().BeGreaterThan(0.75);
            using (var host = MlNetLoopHost.Build(Trainer(), new InMemoryCaseSource(cases), stores: b => b.UseSqlite(database)))
            {
                var (_, predictions) = await MlNetLoopHost.StartAsync(host);
                var after = heldOut.Select(c => predictions.Predict(Model, c.Id, c.Input, c.Attributes)).ToList();

                after.Should().AllSatisfy(p => p.ModelVersion.Should().Be(version));
                after.Select(p => (p.Label, p.Probability)).Should().Equal(before.Select(p => (p.Label, p.Probability)));
                await host.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double YesProbability(Prediction p) => p.Label == "yes" ? p.Probability : 1.0 - p.Probability;
}
