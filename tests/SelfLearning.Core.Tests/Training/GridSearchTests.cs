using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class GridSearchTests
{
    [Fact]
    public async Task RunAsync_RidgeSpace_PicksTheCandidateWithTheLowestMeanFoldScoreDeterministically()
    {
        var data = new TrainingData(RidgeRegressionTrainerTests.Generate(90, 1), RidgeRegressionTrainerTests.Generate(30, 2));
        var trainer = new RidgeRegressionTrainer();
        var context = new TrainingContext(data, TrainingParameters.Empty, 42);

        var first = await GridSearch.RunAsync(trainer, context, CancellationToken.None);
        var second = await GridSearch.RunAsync(trainer, context, CancellationToken.None);

        first.Candidates.Should().HaveCount(5);
        first.Candidates.Should().OnlyContain(c => c.FoldScores.Count == 3);
        first.BestParameters.Should().Be(first.Candidates.MinBy(c => c.MeanScore)!.Parameters);
        first.BestParameters["alpha"].Should().NotBe("100", "heavy shrinkage hurts on data with a strong linear signal");
        second.Candidates.Select(c => c.MeanScore).Should().Equal(first.Candidates.Select(c => c.MeanScore));
    }

    [Fact]
    public void AssignFolds_AnySeed_PartitionsTheRowsIntoNearlyEqualDisjointFolds()
    {
        var folds = GridSearch.AssignFolds(23, 4, 3);

        folds.SelectMany(f => f.Test).Order().Should().Equal(Enumerable.Range(0, 23));
        folds.Select(f => f.Test.Length).Should().OnlyContain(n => n == 5 || n == 6);
        folds.Should().OnlyContain(f => f.Train.Length + f.Test.Length == 23 && !f.Train.Intersect(f.Test).Any());
    }

    [Fact]
    public void HyperparameterSpace_Grid_EnumeratesTheCartesianProductInDeclarationOrder()
    {
        var space = new HyperparameterSpace("m", MetricGoal.Maximize, 2).With("a", 1, 2).With("b", 0.5, 0.25, 0.125);

        var grid = space.Grid();

        grid.Select(p => p.ToString()).Should().Equal(
            "a=1, b=0.5", "a=1, b=0.25", "a=1, b=0.125", "a=2, b=0.5", "a=2, b=0.25", "a=2, b=0.125");
        var duplicate = () => space.With("c", 1, 1);
        var folds = () => new HyperparameterSpace("m", MetricGoal.Minimize, 1);
        duplicate.Should().Throw<ArgumentException>().WithParameterName("values");
        folds.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("folds");
    }

    [Fact]
    public async Task Engine_TuneRequested_RunsTheSearchAndRecordsTheChosenParameters()
    {
        var time = new ManualTimeProvider(TrainingTestData.Start);
        var data = new TrainingData(RidgeRegressionTrainerTests.Generate(90, 1), RidgeRegressionTrainerTests.Generate(30, 2));
        using var engine = new TrainingJobEngine(
            new InMemoryTrainingJobStore(), [new RidgeRegressionTrainer()], new FixedDataProvider(data),
            Microsoft.Extensions.Options.Options.Create(new TrainingEngineOptions()), time);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        var job = (await engine.EnqueueAsync(new TrainingRequest("spend", RidgeRegressionTrainer.Key) { TuneHyperparameters = true, Seed = 42 })).Job;
        var done = await engine.WaitFor(job.Id, j => TrainingJobTransitions.IsTerminal(j.State));

        var expected = await GridSearch.RunAsync(new RidgeRegressionTrainer(), new TrainingContext(data, TrainingParameters.Empty, 42), CancellationToken.None);
        done.State.Should().Be(TrainingJobState.Completed);
        done.ParametersUsed!["alpha"].Should().Be(expected.BestParameters["alpha"]);
        await stop.CancelAsync();
        await run;
    }
}
