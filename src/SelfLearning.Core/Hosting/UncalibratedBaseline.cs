namespace SelfLearning.Hosting;

/// <summary>
/// What a model serves before its first champion, and what the first candidate is gated against: the host's
/// score taken as is when it is a probability, through the logistic function when it is a margin.
/// </summary>
internal static class UncalibratedBaseline
{
    public static double Probability(double score)
    {
        if (!double.IsFinite(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "The score must be finite.");
        }

        return score is >= 0.0 and <= 1.0 ? score : 1.0 / (1.0 + Math.Exp(-score));
    }

    public static double[] Probabilities(ReadOnlySpan<double> scores)
    {
        var result = new double[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            result[i] = Probability(scores[i]);
        }

        return result;
    }
}
