using System.Globalization;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// Feedback cases as a triage host stores them: the host predicted "urgent" with a confidence (and its logit as the
/// raw score), and a reviewer confirmed it or corrected it to "routine".
/// </summary>
internal static class HostFeedback
{
    public static FeedbackCase Case(string id, double confidence, bool right, DateTimeOffset validatedAt, string reviewerId, string modelVersion = "host-1") => new()
    {
        Id = id,
        ModelName = LoopScenario.Model,
        ModelVersion = modelVersion,
        PredictedLabel = "urgent",
        Input = new CaseInput { RawScore = Math.Log(confidence / (1.0 - confidence)) },
        PredictedConfidence = confidence,
        ValidatedLabel = right ? "urgent" : "routine",
        Status = ValidationStatus.Validated,
        ReviewerId = reviewerId,
        ReviewerCertainty = 0.95,
        CreatedAt = validatedAt,
        ValidatedAt = validatedAt,
    };

    /// <summary>An overconfident host: confidence s ~ U(0.5, 1) is right with probability 0.2 + 0.6 s; one case a second from <paramref name="from"/>.</summary>
    public static IEnumerable<FeedbackCase> Overconfident(int count, int seed, DateTimeOffset from)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double confidence = 0.5 + (0.5 * random.NextDouble());
            bool right = random.NextDouble() < 0.2 + (0.6 * confidence);
            string n = i.ToString(CultureInfo.InvariantCulture);
            yield return Case("case-" + n, confidence, right, from.AddSeconds(i), "reviewer-" + (i % 7).ToString(CultureInfo.InvariantCulture));
        }
    }
}
