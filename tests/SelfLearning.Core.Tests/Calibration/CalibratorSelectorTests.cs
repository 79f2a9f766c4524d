using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class CalibratorSelectorTests
{
    [Fact]
    public void Select_PlateauShapedData_ChoosesIsotonicAndReportsEveryFold()
    {
        // P(y | s) is flat, then jumps, then flat again: no sigmoid fits it, a monotone step does.
        var random = new Random(17);
        double[] scores = Enumerable.Range(0, 3000).Select(_ => (random.NextDouble() * 6.0) - 3.0).ToArray();
        bool[] labels = scores.Select(s => random.NextDouble() < (s < -1 ? 0.02 : s < 1 ? 0.5 : 0.98)).ToArray();

        var selection = CalibratorSelector.Select(scores, labels, new CalibratorSelectorOptions { Seed = 3 });

        selection.Chosen.Should().Be(CalibrationMethod.Isotonic);
        selection.Calibrator.Should().BeOfType<IsotonicCalibrator>();
        selection.Scores.Select(s => s.Method).Should().Equal(CalibrationMethod.Platt, CalibrationMethod.Isotonic, CalibrationMethod.Temperature);
        foreach (var score in selection.Scores)
        {
            score.FoldLogLoss.Should().HaveCount(5);
            score.FoldBrier.Should().HaveCount(5);
            score.MeanLogLoss.Should().BeApproximately(score.FoldLogLoss.Average(), 1e-15);
        }

        selection.Scores.Min(s => s.MeanLogLoss).Should().Be(selection.Scores.Single(s => s.Method == CalibrationMethod.Isotonic).MeanLogLoss);
    }

    [Fact]
    public void Select_SmallSampleFromPlattModel_ChoosesPlatt()
    {
        var (scores, labels) = CalibratorTestData.Margins(150, seed: 21);

        var selection = CalibratorSelector.Select(scores, labels, new CalibratorSelectorOptions
        {
            Candidates = [CalibrationMethod.Isotonic, CalibrationMethod.Platt],
            Seed = 1,
        });

        selection.Chosen.Should().Be(CalibrationMethod.Platt, "isotonic overfits 120 training cases drawn from a sigmoid");
    }

    [Fact]
    public void Select_Probabilities_DefaultCandidatesIncludeBetaAndHistogram()
    {
        var (scores, labels) = CalibratorTestData.Probabilities(400);

        var selection = CalibratorSelector.Select(scores, labels);

        selection.Scores.Select(s => s.Method).Should().Equal(
            CalibrationMethod.Platt, CalibrationMethod.Isotonic, CalibrationMethod.Beta, CalibrationMethod.HistogramBinning);
    }

    [Fact]
    public void Select_SameSeed_GivesIdenticalScores()
    {
        var (scores, labels) = CalibratorTestData.Margins(300);
        var options = new CalibratorSelectorOptions { Seed = 42, Folds = 4 };

        var first = CalibratorSelector.Select(scores, labels, options);
        var second = CalibratorSelector.Select(scores, labels, options);
        var other = CalibratorSelector.Select(scores, labels, new CalibratorSelectorOptions { Seed = 43, Folds = 4 });

        second.Scores.SelectMany(s => s.FoldLogLoss).Should().Equal(first.Scores.SelectMany(s => s.FoldLogLoss));
        other.Scores.SelectMany(s => s.FoldLogLoss).Should().NotEqual(first.Scores.SelectMany(s => s.FoldLogLoss));
    }

    [Fact]
    public void AssignFolds_Stratified_EveryFoldHasBothClassesAndSizesDifferByOne()
    {
        var (_, labels) = CalibratorTestData.Margins(103);

        int[] fold = CalibratorSelector.AssignFolds(labels, 5, seed: 9);

        var sizes = Enumerable.Range(0, 5).Select(f => fold.Count(x => x == f)).ToArray();
        (sizes.Max() - sizes.Min()).Should().BeLessThanOrEqualTo(1);
        for (int f = 0; f < 5; f++)
        {
            labels.Where((_, i) => fold[i] == f).Distinct().Should().HaveCount(2);
        }
    }

    [Fact]
    public void Score_KnownProbabilities_GivesLogLossAndBrier()
    {
        var (logLoss, brier) = CalibratorSelector.Score([0.8, 0.3, 0.0], [true, false, true]);

        logLoss.Should().BeApproximately((-Math.Log(0.8) - Math.Log(0.7) - Math.Log(1e-15)) / 3.0, 1e-12);
        brier.Should().BeApproximately((0.04 + 0.09 + 1.0) / 3.0, 1e-15);
    }

    [Fact]
    public void Select_FewerCasesThanFolds_ThrowsNamingScores()
    {
        var act = () => CalibratorSelector.Select([0.1, 0.9, 0.2, 0.8], [false, true, false, true]);
        act.Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("*4 cases*5 folds*");
    }

    [Fact]
    public void Select_SinglePositive_ThrowsNamingLabels()
    {
        double[] scores = Enumerable.Range(0, 12).Select(i => i / 12.0).ToArray();
        bool[] labels = scores.Select((_, i) => i == 11).ToArray();
        var act = () => CalibratorSelector.Select(scores, labels);
        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*1 positive*");
    }

    [Fact]
    public void Select_HistogramCandidateOnRawMargins_ThrowsNamingScores()
    {
        var (scores, labels) = CalibratorTestData.Margins(50);
        var act = () => CalibratorSelector.Select(scores, labels, new CalibratorSelectorOptions { Candidates = [CalibrationMethod.HistogramBinning] });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scores");
    }

    [Fact]
    public void Select_OneFold_ThrowsNamingFolds()
    {
        var (scores, labels) = CalibratorTestData.Margins(50);
        var act = () => CalibratorSelector.Select(scores, labels, new CalibratorSelectorOptions { Folds = 1 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options.Folds");
    }
}
