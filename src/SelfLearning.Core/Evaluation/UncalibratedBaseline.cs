using SelfLearning.Training;

namespace SelfLearning.Evaluation;

/// <summary>
/// What a model serves before its first champion, and what the first candidate is gated against: the host's
/// confidence taken as is, or its raw score (a margin) through the logistic function, as the model's
/// <c>SelfLearningModelOptions.ScoreSource</c> says. The value alone cannot tell them apart: a margin
/// of 0.4 is not a probability of 0.4.
/// </summary>
internal static class UncalibratedBaseline
{
    public static double Probability(double score, CalibrationScoreSource source)
    {
        if (!double.IsFinite(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "The score must be finite.");
        }

        if (source == CalibrationScoreSource.RawScore)
        {
            return 1.0 / (1.0 + Math.Exp(-score));
        }

        return score is >= 0.0 and <= 1.0
            ? score
            : throw new ArgumentOutOfRangeException(nameof(score), score, $"The model's score source is {source}, so the score must be a probability in [0, 1], but it is {score.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    public static double[] Probabilities(ReadOnlySpan<double> scores, CalibrationScoreSource source)
    {
        var result = new double[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            result[i] = Probability(scores[i], source);
        }

        return result;
    }
}
