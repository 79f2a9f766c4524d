using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>
/// Turns a reviewed outcome into a <see cref="FeedbackCase"/> in the host's case store when the model's
/// <see cref="SelfLearningModelOptions.AppendOutcomesAsCases"/> is on: the one feedback channel. The case id is the
/// prediction id, so the store's idempotent append keeps one case per prediction however often the outcome arrives.
/// </summary>
/// <remarks>
/// Nothing of the case is logged: it is a raw case like any the host stores, and reaches training only through the
/// collector's anonymisation.
/// </remarks>
internal sealed class OutcomeCases(IOptionsMonitor<SelfLearningModelOptions> modelOptions, TimeProvider time, IFeedbackCaseWriter? writer = null)
{
    /// <summary>The predicted label of an appended score-calibration case: the host's prediction, which the calibrator judges right or wrong.</summary>
    public const string Right = "right";

    /// <summary>The validated label of an appended score-calibration case whose host prediction was wrong.</summary>
    public const string Wrong = "wrong";

    /// <summary>The predicted confidence of an appended regression case: a regression states none, and the collector needs one in [0, 1].</summary>
    public const double RegressionConfidence = 1.0;

    /// <summary>Checks the review, whatever the model's setting, so a bad review fails the same way with the setting on or off.</summary>
    public static void Check(OutcomeReview review)
    {
        Guard.NotNull(review);
        Guard.NotNullOrWhiteSpace(review.ReviewerId, "review.ReviewerId");
        Guard.Probability(review.ReviewerCertainty, "review.ReviewerCertainty");
    }

    /// <summary>
    /// Appends the case of a reviewed outcome when the model opts in (a no-op otherwise, and when the store already
    /// holds the prediction's case). Throws before anything is stored when the case cannot be built.
    /// </summary>
    /// <returns><see langword="true"/> when a case was stored.</returns>
    public async ValueTask<bool> AppendAsync(
        ModelServingState state, Prediction prediction, OutcomeReview review, string predictedLabel, string validatedLabel, double confidence, CancellationToken cancellationToken)
    {
        if (!modelOptions.Get(state.ModelName).AppendOutcomesAsCases)
        {
            return false;
        }

        FeedbackCase feedbackCase = Build(state, prediction, review, predictedLabel, validatedLabel, confidence);

        // Start-up validation refuses AppendOutcomesAsCases without a writer; a container built without validation still gets a clear error.
        IFeedbackCaseWriter store = writer ?? throw new InvalidOperationException(
            $"{HostingConstants.Section}:Models:{state.ModelName}:{nameof(SelfLearningModelOptions.AppendOutcomesAsCases)} is on, but no {nameof(IFeedbackCaseWriter)} is registered.");
        return await store.AppendAsync(feedbackCase, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The confidence a score-calibration case carries: the host's own, as the model's score source reads it.</summary>
    public static double HostConfidence(ModelServingState state, double score) =>
        !double.IsFinite(score) ? double.NaN
        : state.ScoreSource == CalibrationScoreSource.RawScore ? UncalibratedBaseline.Probability(score, CalibrationScoreSource.RawScore)
        : score;

    private FeedbackCase Build(ModelServingState state, Prediction prediction, OutcomeReview review, string predictedLabel, string validatedLabel, double confidence)
    {
        CaseInput input = review.Input ?? (state.TaskKind == TaskKind.ScoreCalibration
            ? new CaseInput { RawScore = prediction.Score }
            : throw new ArgumentException(
                $"Model '{state.ModelName}' appends outcomes as cases and predicts from features, so review.Input must hold the input given to Predict; it is null.",
                nameof(review)));
        if (input.IsEmpty)
        {
            throw new ArgumentException($"review.Input of the outcome of model '{state.ModelName}' is empty; the appended case needs what the model saw.", nameof(review));
        }

        DateTimeOffset now = time.GetUtcNow();
        return new FeedbackCase
        {
            Id = prediction.Id.ToString("N", CultureInfo.InvariantCulture),
            ModelName = state.ModelName,
            ModelVersion = prediction.ModelVersion.ToString(CultureInfo.InvariantCulture),
            Input = input,
            PredictedLabel = predictedLabel,
            PredictedConfidence = confidence,
            ValidatedLabel = validatedLabel,
            Status = ValidationStatus.Validated,
            ReviewerId = review.ReviewerId,
            ReviewerCertainty = review.ReviewerCertainty,
            CreatedAt = review.PredictedAt ?? now,
            ValidatedAt = now,
            Attributes = review.Attributes is null ? ImmutableSortedDictionary<string, string>.Empty : review.Attributes.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }
}
