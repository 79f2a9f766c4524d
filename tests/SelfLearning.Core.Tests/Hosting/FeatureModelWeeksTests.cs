using SelfLearning.Training;
using Xunit;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// Each built-in model type on features through simulated weeks of a shifting population, in memory (the SQLite
/// project runs the same weeks with a restart in the middle): first champion, a worse candidate refused, the shifted
/// version canaried (where outcomes exist) and promoted, a degraded champion rolled back.
/// </summary>
public sealed class FeatureModelWeeksTests
{
    [Fact]
    public async Task RunCycleAsync_BinaryLogisticOverShiftingWeeks_GatesCanariesPromotesAndRollsBack()
    {
        using var scenario = new FeatureWeeksScenario(LogisticRegressionTrainer.Key, TaskKind.BinaryClassification);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: false);
    }

    [Fact]
    public async Task RunCycleAsync_MulticlassSoftmaxOverShiftingWeeks_GatesCanariesPromotesAndRollsBack()
    {
        using var scenario = new FeatureWeeksScenario(SoftmaxRegressionTrainer.Key, TaskKind.MulticlassClassification);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: false);
    }

    [Fact]
    public async Task RunCycleAsync_RidgeRegressionOverShiftingWeeks_GatesCanariesPromotesAndRollsBack()
    {
        using var scenario = new FeatureWeeksScenario(RidgeRegressionTrainer.Key, TaskKind.Regression);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: false);
    }

    [Fact]
    public async Task RunCycleAsync_KMeansOverShiftingWeeks_GatesPromotesOnTheGateAndRollsBack()
    {
        using var scenario = new FeatureWeeksScenario(KMeansTrainer.Key, TaskKind.Clustering);

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: false);
    }
}
