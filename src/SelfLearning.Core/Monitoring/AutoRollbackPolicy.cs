using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;
using SelfLearning.Statistics;

namespace SelfLearning.Monitoring;

/// <summary>
/// The clinic plan's rollback rule: roll the champion back when its live accuracy is significantly more than
/// <see cref="MonitoringOptions.RollbackMargin"/> (two points) below its pre-promotion holdout accuracy, or
/// when a guardrail fails.
/// </summary>
/// <remarks>
/// The test is one-sided on the difference of two independent proportions, H₀: p_live − p_holdout ≥ −margin
/// against H₁: p_live − p_holdout &lt; −margin, with the Wald statistic
/// z = (p̂_live − p̂_holdout + margin) / √(p̂_live(1 − p̂_live)/n_live + p̂_holdout(1 − p̂_holdout)/n_holdout)
/// and p = Φ(z), exactly statsmodels' <c>test_proportions_2indep(live, n_live, holdout, n_holdout,
/// value=−margin, method="wald", compare="diff", alternative="smaller")</c>. Chosen over a one-sample test
/// against the fixed value p̂_holdout − margin because the holdout accuracy is itself an estimate from
/// n_holdout cases; ignoring its error would roll back too eagerly when the holdout set was small. The pooled
/// test (<see cref="HypothesisTests.TwoProportionZTest"/>) does not apply: it assumes equal proportions under
/// H₀, not a shifted difference. When both sample proportions are 0 or 1 the variance is zero and the
/// difference is known exactly: z is ±∞ (or 0 on the boundary) and p is 0 or 1 (0.5). Live accuracy is only
/// tested from <see cref="MonitoringOptions.RollbackMinimumLiveSample"/> outcomes on; guardrails always count.
/// </remarks>
internal sealed class AutoRollbackPolicy
{
    private readonly MonitoringOptions options;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="AutoRollbackPolicy"/> class.</summary>
    /// <param name="options">The monitoring options (validated here).</param>
    /// <param name="logger">Logs advised rollbacks; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public AutoRollbackPolicy(IOptions<MonitoringOptions> options, ILogger<AutoRollbackPolicy>? logger = null)
    {
        this.options = MonitoringOptionsValidator.Validated(options);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Decides whether to roll the champion back.</summary>
    /// <param name="holdoutAccuracy">The champion's accuracy on the holdout before promotion, in [0, 1].</param>
    /// <param name="holdoutCount">The number of holdout cases (at least 1).</param>
    /// <param name="liveCorrect">Live outcomes predicted correctly.</param>
    /// <param name="liveTotal">Live outcomes.</param>
    /// <param name="guardrails">The latest guardrail results, if any.</param>
    /// <returns>The decision with its reasons and numbers.</returns>
    /// <exception cref="ArgumentException">A count is negative, <paramref name="liveCorrect"/> exceeds <paramref name="liveTotal"/>, or the accuracy is outside [0, 1].</exception>
    public RollbackDecision Evaluate(
        double holdoutAccuracy,
        long holdoutCount,
        long liveCorrect,
        long liveTotal,
        IReadOnlyCollection<GuardrailResult>? guardrails = null)
    {
        Guard.Probability(holdoutAccuracy);
        Guard.Positive(holdoutCount);
        Guard.NonNegative(liveCorrect);
        Guard.NonNegative(liveTotal);
        Guard.AtMost(liveCorrect, liveTotal, nameof(liveTotal));

        var reasons = new List<RollbackReason>();
        bool enough = liveTotal >= options.RollbackMinimumLiveSample;
        TestResult? test = null;
        if (enough)
        {
            TestResult result = ShortfallTest(holdoutAccuracy, holdoutCount, liveCorrect, liveTotal, options.RollbackMargin);
            test = result;
            if (result.PValue < options.RollbackSignificanceLevel)
            {
                reasons.Add(new RollbackReason(
                    RollbackReasonKind.AccuracyRegression,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Live accuracy {(double)liveCorrect / liveTotal:F4} ({liveCorrect}/{liveTotal}) is significantly more than {options.RollbackMargin:F4} below the holdout accuracy {holdoutAccuracy:F4} (n = {holdoutCount}): z = {result.Statistic:F3}, one-sided p = {result.PValue:G4} < α = {options.RollbackSignificanceLevel}.")));
            }
        }

        foreach (GuardrailResult guardrail in guardrails ?? [])
        {
            if (!guardrail.Passed)
            {
                reasons.Add(new RollbackReason(RollbackReasonKind.GuardrailFailed, $"Guardrail '{guardrail.Name}' failed: {guardrail.Detail}"));
            }
        }

        var decision = new RollbackDecision(
            reasons.Count > 0,
            reasons,
            holdoutAccuracy,
            holdoutCount,
            liveCorrect,
            liveTotal,
            options.RollbackMargin,
            options.RollbackSignificanceLevel,
            enough,
            test?.Statistic,
            test?.PValue);
        if (decision.ShouldRollBack)
        {
            MonitoringLog.RollbackAdvised(logger, string.Join(" ", reasons.Select(r => r.Message)));
        }

        return decision;
    }

    /// <summary>The one-sided Wald test of H₀: p_live − p_holdout ≥ −margin (see the remarks of the class).</summary>
    internal static TestResult ShortfallTest(double holdoutAccuracy, long holdoutCount, long liveCorrect, long liveTotal, double margin)
    {
        double live = (double)liveCorrect / liveTotal;
        double difference = live - holdoutAccuracy + margin;
        double variance = (live * (1.0 - live) / liveTotal) + (holdoutAccuracy * (1.0 - holdoutAccuracy) / holdoutCount);
        if (variance == 0.0)
        {
            return difference < 0.0 ? new TestResult(double.NegativeInfinity, 0.0)
                : difference > 0.0 ? new TestResult(double.PositiveInfinity, 1.0)
                : new TestResult(0.0, 0.5);
        }

        double z = difference / Math.Sqrt(variance);
        return new TestResult(z, ReferenceDistributions.NormalSurvival(-z));
    }
}
