using System.Text.Json.Nodes;
using SelfLearning.Evaluation;
using SelfLearning.Tests.Statistics;

namespace SelfLearning.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private static readonly JsonNode Reference = ReferenceFile.Load("evaluation.json");

    [Fact]
    public void Compute_ReferenceShapes_MatchScikitLearn()
    {
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "classification"))
        {
            string[] actual = c!["actual"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
            string[] predicted = c["predicted"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
            string[] labels = c["labels"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
            string shape = c["shape"]!.GetValue<string>();
            var report = ClassificationMetrics.Compute(actual, predicted);

            ReferenceFile.ShouldMatch(report.Accuracy, ReferenceFile.Double(c["accuracy"]), shape);
            report.Classes.Select(m => m.Label).Should().Equal(labels, shape);
            report.ConfusionMatrix.Labels.Should().Equal(labels);
            double[] precision = ReferenceFile.Doubles(c["precision"]);
            double[] recall = ReferenceFile.Doubles(c["recall"]);
            double[] f1 = ReferenceFile.Doubles(c["f1"]);
            long[] support = ReferenceFile.Longs(c["support"]);
            var confusion = c["confusion"]!.AsArray().Select(ReferenceFile.Longs).ToArray();
            for (int k = 0; k < labels.Length; k++)
            {
                ReferenceFile.ShouldMatch(report.Classes[k].Precision, precision[k], shape);
                ReferenceFile.ShouldMatch(report.Classes[k].Recall, recall[k], shape);
                ReferenceFile.ShouldMatch(report.Classes[k].F1, f1[k], shape);
                report.Classes[k].Support.Should().Be(support[k]);
                for (int j = 0; j < labels.Length; j++)
                {
                    report.ConfusionMatrix[k, j].Should().Be(confusion[k][j], shape);
                    report.ConfusionMatrix[labels[k], labels[j]].Should().Be(confusion[k][j], shape);
                }
            }

            foreach (var (averaged, name) in new[] { (report.Macro, "macro"), (report.Micro, "micro"), (report.Weighted, "weighted") })
            {
                double[] expected = ReferenceFile.Doubles(c[name]);
                ReferenceFile.ShouldMatch(averaged.Precision, expected[0], $"{shape} {name}");
                ReferenceFile.ShouldMatch(averaged.Recall, expected[1], $"{shape} {name}");
                ReferenceFile.ShouldMatch(averaged.F1, expected[2], $"{shape} {name}");
            }
        }
    }

    [Fact]
    public void RocAuc_ReferenceShapes_MatchScikitLearn()
    {
        int checkedShapes = 0;
        foreach (JsonNode? c in ReferenceFile.Cases(Reference, "binary"))
        {
            if (c!["auc"] is null)
            {
                continue;
            }

            double[] p = ReferenceFile.Doubles(c["probability"]);
            bool[] y = ReferenceFile.Bools(c["label"]);
            double[] margins = p.Select(v => (Math.Log(Math.Clamp(v, 1e-9, 1.0)) * 3.0) - 1.0).ToArray();
            string shape = c["shape"]!.GetValue<string>();
            ReferenceFile.ShouldMatch(ClassificationMetrics.RocAuc(p, y), ReferenceFile.Double(c["auc"]), shape);
            ReferenceFile.ShouldMatch(ClassificationMetrics.RocAuc(margins, y), ReferenceFile.Double(c["aucMargin"]), shape);
            checkedShapes++;
        }

        checkedShapes.Should().BeGreaterThan(3);
    }

    [Fact]
    public void RocAuc_LabelsFlipped_IsOneMinus()
    {
        var random = new Random(5);
        double[] scores = Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble() * 20) / 20).ToArray();
        bool[] labels = scores.Select(s => random.NextDouble() < s).ToArray();
        bool[] flipped = labels.Select(l => !l).ToArray();
        double auc = ClassificationMetrics.RocAuc(scores, labels);
        auc.Should().BeGreaterThan(0.6);
        ClassificationMetrics.RocAuc(scores, flipped).Should().BeApproximately(1.0 - auc, 1e-12);
    }

    [Fact]
    public void RocAuc_AllScoresTied_IsOneHalf()
    {
        ClassificationMetrics.RocAuc([0.3, 0.3, 0.3, 0.3], [true, false, false, true]).Should().Be(0.5);
    }

    [Fact]
    public void BadInput_NamesTheArgument()
    {
        FluentActions.Invoking(() => ClassificationMetrics.RocAuc([0.1, 0.2], [true, true]))
            .Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*only positive*");
        FluentActions.Invoking(() => ClassificationMetrics.RocAuc([0.1, double.NaN], [true, false]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scores").WithMessage("*element 1*");
        FluentActions.Invoking(() => ClassificationMetrics.RocAuc([0.1], [true, false]))
            .Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => ClassificationMetrics.Compute(["a"], ["a", "b"]))
            .Should().Throw<ArgumentException>().WithParameterName("predicted");
        FluentActions.Invoking(() => ClassificationMetrics.Compute([], []))
            .Should().Throw<ArgumentException>().WithParameterName("actual");
        FluentActions.Invoking(() => ClassificationMetrics.Compute(["a", null!], ["a", "b"]))
            .Should().Throw<ArgumentException>().WithParameterName("actual").WithMessage("*element 1*");
    }
}
