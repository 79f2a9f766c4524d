using SelfLearning.Cases;

namespace SelfLearning.Serving;

/// <summary>
/// Who reviewed a prediction, and what the model saw: passed with an outcome to
/// <see cref="IPredictionService.RecordOutcomeAsync(Prediction, string, OutcomeReview, CancellationToken)"/> and its
/// overloads, so that, when the model's <c>AppendOutcomesAsCases</c> is on, the outcome is also appended to the host's
/// case store as a <see cref="FeedbackCase"/> (one feedback channel).
/// </summary>
/// <remarks>
/// The prediction ticket does not carry the model's input: keeping every prediction's features until an outcome
/// arrives (most never do) would cost the allocation-free predict path a copy and a write per prediction, while the
/// host still holds the input with its own record of the case. So the host passes it again here. A score
/// calibration needs none: its input is the score the ticket carries.
/// </remarks>
public sealed record OutcomeReview
{
    /// <summary>Gets the host's id of the reviewer; stored in the host's case store as given and pseudonymised when the loop collects the case.</summary>
    public required string ReviewerId { get; init; }

    /// <summary>Gets how sure the reviewer was, in [0, 1].</summary>
    /// <value>The default value is 1.</value>
    public double ReviewerCertainty { get; init; } = 1.0;

    /// <summary>
    /// Gets what the model saw: the features given to <c>Predict</c>. Required to append the case of a model on
    /// features; for a score calibration, <see langword="null"/> means the raw score the prediction carries.
    /// </summary>
    public CaseInput? Input { get; init; }

    /// <summary>
    /// Gets the case's raw attributes as given to <c>Predict</c> (e.g. <c>clinic</c>, <c>note</c>); stored with the
    /// appended case as given and anonymised when the loop collects it, like every case's attributes.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the appended case has no attributes.</value>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Gets when the prediction was made; <see langword="null"/> means the time the outcome is recorded.</summary>
    public DateTimeOffset? PredictedAt { get; init; }
}
