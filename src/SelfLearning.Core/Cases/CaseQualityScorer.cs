using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// Scores a case's quality in [0, 1] from the completeness of its input, the reviewer's certainty,
/// the agreement between reviewers where several reviewed it, and how stale the validation is.
/// Thread-safe.
/// </summary>
internal sealed class CaseQualityScorer
{
    private readonly double completenessWeight;
    private readonly double certaintyWeight;
    private readonly double agreementWeight;
    private readonly double freshnessWeight;
    private readonly double halfLifeTicks;
    private readonly CaseInputParts expected;
    private readonly TimeProvider timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CaseQualityScorer"/> class.</summary>
    /// <param name="options">Weights, threshold and half-life; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock staleness is measured against; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">A weight is negative or not finite, all weights are zero, the threshold is outside [0, 1], or the half-life is not positive.</exception>
    public CaseQualityScorer(CaseQualityOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new CaseQualityOptions();
        completenessWeight = Guard.NonNegative(options.CompletenessWeight, "options.CompletenessWeight");
        certaintyWeight = Guard.NonNegative(options.ReviewerCertaintyWeight, "options.ReviewerCertaintyWeight");
        agreementWeight = Guard.NonNegative(options.AgreementWeight, "options.AgreementWeight");
        freshnessWeight = Guard.NonNegative(options.FreshnessWeight, "options.FreshnessWeight");
        double total = completenessWeight + certaintyWeight + agreementWeight + freshnessWeight;
        if (!(total > 0.0))
        {
            throw new ArgumentException("The quality weights of 'options' are all zero; at least one must be positive.", nameof(options));
        }

        Threshold = Guard.Probability(options.Threshold, "options.Threshold");
        halfLifeTicks = Guard.Positive(options.StalenessHalfLife.Ticks, "options.StalenessHalfLife");
        expected = options.ExpectedInputs;
        if ((expected & ~(CaseInputParts.Features | CaseInputParts.RawScore | CaseInputParts.ClassScores)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), expected, $"'options.ExpectedInputs' is {expected}, which has undefined flags.");
        }

        this.timeProvider = timeProvider ?? TimeProvider.System;
        Settings = $"completeness {completenessWeight:R}, certainty {certaintyWeight:R}, agreement {agreementWeight:R}, freshness {freshnessWeight:R}, threshold {Threshold:R}, half-life {options.StalenessHalfLife.TotalDays:R} days";
    }

    /// <summary>Gets the lowest score a case may have to be collected.</summary>
    public double Threshold { get; }

    /// <summary>Gets a readable summary of the weights and threshold, for a dataset manifest.</summary>
    public string Settings { get; }

    /// <summary>Scores a case.</summary>
    /// <param name="feedbackCase">The case; its reviewer certainty must be in [0, 1].</param>
    /// <param name="agreement">The share of the case's reviews that gave the kept label, in [0, 1]; 1 for a single review.</param>
    /// <returns>The score and its breakdown.</returns>
    public CaseQuality Score(FeedbackCase feedbackCase, double agreement = 1.0)
    {
        Guard.NotNull(feedbackCase);
        Guard.Probability(agreement);
        double certainty = Guard.Probability(feedbackCase.ReviewerCertainty, "feedbackCase.ReviewerCertainty");
        double completeness = Completeness(feedbackCase.Input, expected);

        double staleness = 0.0;
        if (feedbackCase.ValidatedAt is DateTimeOffset validatedAt)
        {
            double ageTicks = (timeProvider.GetUtcNow() - validatedAt).Ticks;
            staleness = ageTicks <= 0 ? 0.0 : 1.0 - Math.Pow(0.5, ageTicks / halfLifeTicks);
        }

        double weighted = (completenessWeight * completeness) + (certaintyWeight * certainty) + (agreementWeight * agreement) + (freshnessWeight * (1.0 - staleness));
        double score = weighted / (completenessWeight + certaintyWeight + agreementWeight + freshnessWeight);
        return new CaseQuality(Math.Clamp(score, 0.0, 1.0), completeness, certainty, agreement, staleness);
    }

    /// <summary>The share of the expected input parts present, each counted by its share of finite values.</summary>
    internal static double Completeness(CaseInput input, CaseInputParts expected)
    {
        CaseInputParts judged = expected == CaseInputParts.None ? PresentParts(input) : expected;
        if (judged == CaseInputParts.None)
        {
            return 0.0;
        }

        double sum = 0.0;
        int parts = 0;
        if ((judged & CaseInputParts.Features) != 0)
        {
            parts++;
            sum += FiniteShare(input.Features.AsSpan());
        }

        if ((judged & CaseInputParts.RawScore) != 0)
        {
            parts++;
            sum += input.RawScore is double raw && double.IsFinite(raw) ? 1.0 : 0.0;
        }

        if ((judged & CaseInputParts.ClassScores) != 0)
        {
            parts++;
            int finite = input.ClassScores.Values.Count(double.IsFinite);
            sum += input.ClassScores.Count == 0 ? 0.0 : (double)finite / input.ClassScores.Count;
        }

        return sum / parts;
    }

    private static CaseInputParts PresentParts(CaseInput input) =>
        (input.Features.IsEmpty ? CaseInputParts.None : CaseInputParts.Features) |
        (input.RawScore is null ? CaseInputParts.None : CaseInputParts.RawScore) |
        (input.ClassScores.IsEmpty ? CaseInputParts.None : CaseInputParts.ClassScores);

    private static double FiniteShare(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return 0.0;
        }

        int finite = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                finite++;
            }
        }

        return (double)finite / values.Length;
    }
}
