using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 12, "what must hold": a seeded random mix of valid cases and each kind of bad case (validated in the future,
/// NaN or infinite numbers, missing raw scores, duplicates and superseded reviews, reviewers who disagree) never fails
/// a cycle, never moves the watermark past now + skew, and keeps every valid case. Written against the public hosted
/// API only (<c>AddSelfLearning</c>, <see cref="ISelfLearningLoop.RunCycleAsync"/>, an in-memory case source, a fake clock).
/// </summary>
public sealed class BadCaseMixPropertyTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public static TheoryData<int, CalibrationScoreSource> Seeds() => new()
    {
        { 1, CalibrationScoreSource.Confidence },
        { 2, CalibrationScoreSource.RawScore },
        { 3, CalibrationScoreSource.Confidence },
        { 4, CalibrationScoreSource.RawScore },
        { 5, CalibrationScoreSource.RawScore },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RunCycleAsync_RandomMixOfValidAndBadCases_NeverFailsKeepsEveryValidCaseAndTheWatermarkBelowNowPlusSkew(int seed, CalibrationScoreSource scoreSource)
    {
        var random = new Random(seed);
        using var loop = new HostedLoop(Now, m => m.ScoreSource = scoreSource);
        var valid = new List<string>();
        loop.Source.AddRange(Mix(random, scoreSource, Now, "first-", 1_200, valid));

        var first = await loop.Loop.RunCycleAsync(HostedLoop.Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var (holdout, watermark) = await loop.NewestVersionAsync();
        holdout.Should().Be(HostedLoop.HeldOut(valid), "every valid case is kept, and its test-split share is the holdout");
        watermark.Should().NotBeNull().And.BeOnOrBefore(Now + Skew);

        // A day later, new cases (and new bad ones) arrive: they are learned from, so the watermark did not run ahead.
        loop.Clock.Advance(TimeSpan.FromDays(1));
        DateTimeOffset later = loop.Clock.GetUtcNow();
        var validLater = new List<string>();
        loop.Source.AddRange(Mix(random, scoreSource, later, "second-", 800, validLater));

        var second = await loop.Loop.RunCycleAsync(HostedLoop.Model);

        second.Outcome.Should().NotBe(SelfLearningCycleOutcome.Idle, second.Message).And.NotBe(SelfLearningCycleOutcome.TrainingFailed, second.Message);
        var (holdoutLater, watermarkLater) = await loop.NewestVersionAsync();
        holdoutLater.Should().Be(HostedLoop.HeldOut(validLater));
        watermarkLater.Should().NotBeNull().And.BeOnOrBefore(later + Skew).And.BeAfter(watermark!.Value);
    }

    /// <summary>
    /// <paramref name="validCount"/> valid cases validated over the day before <paramref name="now"/>, in random order with about one bad
    /// case for every four valid ones, of every kind; the ids of the cases that must be kept go to <paramref name="valid"/>.
    /// </summary>
    private static List<FeedbackCase> Mix(Random random, CalibrationScoreSource scoreSource, DateTimeOffset now, string prefix, int validCount, List<string> valid)
    {
        var cases = new List<FeedbackCase>();
        for (int i = 0; i < validCount; i++)
        {
            string id = prefix + i.ToString(CultureInfo.InvariantCulture);
            var at = now - TimeSpan.FromSeconds(random.Next(1, 86_400));
            double confidence = 0.5 + (0.49 * random.NextDouble());
            bool right = random.NextDouble() < 0.2 + (0.6 * confidence);

            // With the confidence as score source, a case needs no input at all (issue 14).
            CaseInput? input = scoreSource == CalibrationScoreSource.Confidence && random.Next(4) == 0 ? CaseInput.Empty : null;
            var kept = HostedLoop.Case(id, confidence, right, at, "reviewer-" + random.Next(5).ToString(CultureInfo.InvariantCulture), input);
            valid.Add(id);
            cases.Add(kept);

            switch (random.Next(20))
            {
                case 0:
                    // The same review delivered twice.
                    cases.Add(kept);
                    break;
                case 1:
                    // An earlier review by the same reviewer with the same label, superseded by the kept one.
                    cases.Add(kept with { ValidatedAt = at.AddMinutes(-30) });
                    break;
                case 2:
                    // A later review by the same reviewer that is bad: it is rejected, and the valid review is still kept.
                    cases.Add(kept with { ValidatedAt = at.AddSeconds(1), ReviewerCertainty = double.NaN });
                    break;
                default:
                    break;
            }
        }

        int bad = validCount / 4;
        for (int i = 0; i < bad; i++)
        {
            string id = prefix + "bad-" + i.ToString(CultureInfo.InvariantCulture);
            var at = now - TimeSpan.FromSeconds(random.Next(1, 86_400));
            double confidence = 0.5 + (0.49 * random.NextDouble());
            var good = HostedLoop.Case(id, confidence, true, at);
            switch (random.Next(7))
            {
                case 0:
                    // Far enough ahead that it is still in the future at the next cycle, a day later.
                    cases.Add(good with { ValidatedAt = now + TimeSpan.FromDays(2) + TimeSpan.FromSeconds(random.Next(1_000_000_000)) });
                    break;
                case 1:
                    cases.Add(good with { ValidatedAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) });
                    break;
                case 2:
                    cases.Add(good with { Input = new CaseInput { RawScore = double.NaN } });
                    break;
                case 3:
                    cases.Add(good with { Input = new CaseInput { Features = [0.5, double.PositiveInfinity], RawScore = 0.1 } });
                    break;
                case 4:
                    cases.Add(good with { PredictedConfidence = double.NaN });
                    break;
                case 5:
                    // Two reviewers disagree on the case: it needs review, not a guess.
                    cases.Add(good with { ReviewerId = "reviewer-a", ValidatedLabel = "urgent" });
                    cases.Add(good with { ReviewerId = "reviewer-b", ValidatedLabel = "routine", ValidatedAt = at.AddMinutes(1) });
                    break;
                default:
                    if (scoreSource == CalibrationScoreSource.RawScore)
                    {
                        // Features but no raw score, where the raw score is what is calibrated.
                        cases.Add(good with { Input = new CaseInput { Features = [0.1, 0.2] } });
                    }
                    else
                    {
                        cases.Add(good with { Status = ValidationStatus.Pending });
                    }

                    break;
            }
        }

        // Shuffle, so the bad cases sit anywhere in the source's order.
        for (int i = cases.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (cases[i], cases[j]) = (cases[j], cases[i]);
        }

        return cases;
    }
}
