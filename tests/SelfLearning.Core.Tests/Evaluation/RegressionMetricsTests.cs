using System.Text.Json.Nodes;
using SelfLearning.Evaluation;
using SelfLearning.Tests.Statistics;

namespace SelfLearning.Tests.Evaluation;

public sealed class RegressionMetricsTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("evaluation.json");

    [Fact]
    public void Compute_ReferenceShapes_MatchScikitLearn()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "regression"))
        {
            var metrics = RegressionMetrics.Compute(ReferenceFile.Doubles(c!["actual"]), ReferenceFile.Doubles(c["predicted"]));
            string shape = c["shape"]!.GetValue<string>();
            ReferenceFile.ShouldMatch(metrics.MeanSquaredError, ReferenceFile.Double(c["mse"]), shape);
            ReferenceFile.ShouldMatch(metrics.RootMeanSquaredError, ReferenceFile.Double(c["rmse"]), shape);
            ReferenceFile.ShouldMatch(metrics.MeanAbsoluteError, ReferenceFile.Double(c["mae"]), shape);
            ReferenceFile.ShouldMatch(metrics.RSquared, ReferenceFile.Double(c["r2"]), shape);
        }
    }

    [Fact]
    public void Compute_ConstantActualPerfectPrediction_RSquaredIsOne()
    {
        RegressionMetrics.Compute([2.0, 2.0], [2.0, 2.0]).RSquared.Should().Be(1.0);
    }

    [Fact]
    public void Compute_BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => RegressionMetrics.Compute([1.0, 2.0], [1.0, double.NegativeInfinity]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("predicted").WithMessage("*element 1*");
        FluentActions.Invoking(() => RegressionMetrics.Compute([1.0], [1.0, 2.0]))
            .Should().Throw<ArgumentException>().WithParameterName("predicted");
        FluentActions.Invoking(() => RegressionMetrics.Compute([], []))
            .Should().Throw<ArgumentException>().WithParameterName("actual");
    }
}
