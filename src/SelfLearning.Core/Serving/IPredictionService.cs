using SelfLearning.Cases;

namespace SelfLearning.Serving;

/// <summary>
/// The serving side of the loop: routes each unit to the champion or, in a canary, the challenger, predicts with that
/// version, and records outcomes, which feed the canary's tallies and the live watch. Lock-free and allocation-free
/// per prediction; each live version is loaded once and cached.
/// </summary>
public interface IPredictionService
{
    /// <summary>Calibrates the host model's <paramref name="score"/> (a model of task <c>ScoreCalibration</c>).</summary>
    /// <param name="modelName">A model added with <c>AddModel</c>.</param>
    /// <param name="unitId">The unit being served; the same unit stays on the same arm.</param>
    /// <param name="score">The host model's raw score (a confidence in [0, 1], or a margin, as the model's <c>ScoreSource</c> says).</param>
    /// <returns>The calibrated prediction and its id.</returns>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    /// <exception cref="InvalidOperationException">The loop has not been initialised, or the model is not a score calibration.</exception>
    Prediction Predict(string modelName, string unitId, double score);

    /// <summary>
    /// Predicts from the model's input: a class with its calibrated probability, a value with its interval, or a cluster,
    /// as the model's task says. A score-calibration model reads the input's raw score.
    /// </summary>
    /// <param name="modelName">A model added with <c>AddModel</c>.</param>
    /// <param name="unitId">The unit being served; the same unit stays on the same arm.</param>
    /// <param name="input">The features (of the length the model was trained on), or the raw score.</param>
    /// <returns>The typed prediction and its id.</returns>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    /// <exception cref="ArgumentException">The input has the wrong number of features, or a non-finite number.</exception>
    /// <exception cref="InvalidOperationException">The loop has not been initialised, or a model on features has no champion yet.</exception>
    Prediction Predict(string modelName, string unitId, CaseInput input);

    /// <summary>
    /// Predicts from the model's input and the case's named attributes, for a model that reads attributes besides its
    /// features (an ML.NET model type declaring categorical or text attribute columns). The host passes the attributes
    /// raw, as its <c>FeedbackCase.Attributes</c> hold them: the ones the served version reads are anonymised exactly as
    /// the loop anonymised its training cases (the same anonymizer options and key), so the model sees the form it was
    /// trained on; an attribute the host does not give, or one the anonymizer drops, is read as an empty value. A model
    /// on features alone ignores <paramref name="attributes"/>.
    /// </summary>
    /// <param name="modelName">A model added with <c>AddModel</c>.</param>
    /// <param name="unitId">The unit being served; the same unit stays on the same arm.</param>
    /// <param name="input">The features (of the length the model was trained on), or the raw score.</param>
    /// <param name="attributes">The case's raw attributes by name.</param>
    /// <returns>The typed prediction and its id.</returns>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    /// <exception cref="ArgumentException">The input has the wrong number of features, or a non-finite number.</exception>
    /// <exception cref="InvalidOperationException">The loop has not been initialised, or a model on features has no champion yet.</exception>
    Prediction Predict(string modelName, string unitId, CaseInput input, IReadOnlyDictionary<string, string> attributes);

    /// <summary>Records whether the prediction turned out right (score calibration: the host's prediction; classification: the predicted label).</summary>
    /// <param name="prediction">The prediction <see cref="Predict(string, string, double)"/> returned.</param>
    /// <param name="correct">Whether it was right.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> when an outcome of this prediction id was recorded before (ignored and counted).</returns>
    /// <remarks>
    /// <paramref name="prediction"/> may be a copy deserialised from a ticket in a later request. In a canary the outcome
    /// is counted once per prediction id by the experiment store (for its pending-prediction time to live), so a retry
    /// after a restart, or on another instance sharing the store, returns <see langword="false"/>; outside a canary the
    /// recorded ids are remembered in memory only.
    /// </remarks>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, bool correct, CancellationToken cancellationToken = default);

    /// <summary>Records the true class of a classification.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="actualLabel">The reviewed class.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> for a repeated prediction id.</returns>
    /// <exception cref="InvalidOperationException">The prediction is not a classification.</exception>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, string actualLabel, CancellationToken cancellationToken = default);

    /// <summary>Records the true value of a regression.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="actualValue">The observed value, finite.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> for a repeated prediction id.</returns>
    /// <exception cref="InvalidOperationException">The prediction is not a regression.</exception>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, double actualValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records whether a score calibration's prediction turned out right, with its reviewer; when the model's
    /// <c>AppendOutcomesAsCases</c> is on, also appends the reviewed case to the host's case store (see <see cref="OutcomeReview"/>).
    /// </summary>
    /// <param name="prediction">The prediction <see cref="Predict(string, string, double)"/> returned (or its deserialised ticket).</param>
    /// <param name="correct">Whether the host's prediction was right.</param>
    /// <param name="review">The reviewer (and, for a model on features, the input).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns><see langword="true"/> when the outcome was recorded; <see langword="false"/> for a repeated prediction id.</returns>
    /// <remarks>
    /// The appended case has the prediction id as its id, the prediction's model version, the raw score as its input,
    /// the host's confidence (as the model's <c>ScoreSource</c> reads the score) as its predicted confidence, and the
    /// labels <c>"right"</c> (predicted) and <c>"right"</c> or <c>"wrong"</c> (validated), which is what a calibrator
    /// learns from; it is validated now (the <see cref="TimeProvider"/>'s time). The case is appended once per
    /// prediction id: a retried outcome, after a restart or on another instance sharing the store, appends nothing.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="review"/> has no reviewer id or a certainty outside [0, 1].</exception>
    /// <exception cref="InvalidOperationException">The model is not a score calibration (a classifier records its true label).</exception>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, bool correct, OutcomeReview review, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the true class of a classification with its reviewer; when the model's <c>AppendOutcomesAsCases</c> is
    /// on, also appends the reviewed case (id: the prediction id; input: <see cref="OutcomeReview.Input"/>, required;
    /// predicted label and confidence: the prediction's; validated label: <paramref name="actualLabel"/>), once per prediction id.
    /// </summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="actualLabel">The reviewed class.</param>
    /// <param name="review">The reviewer and the input the model saw.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns><see langword="true"/> when the outcome was recorded; <see langword="false"/> for a repeated prediction id.</returns>
    /// <exception cref="ArgumentException"><paramref name="review"/> has no reviewer id, a certainty outside [0, 1], or (appending) no input.</exception>
    /// <exception cref="InvalidOperationException">The prediction is not a classification.</exception>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, string actualLabel, OutcomeReview review, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the true value of a regression with its reviewer; when the model's <c>AppendOutcomesAsCases</c> is on,
    /// also appends the reviewed case (predicted and validated labels: the predicted and true values as round-trip
    /// invariant text; predicted confidence: 1, since a regression states none), once per prediction id.
    /// </summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="actualValue">The observed value, finite.</param>
    /// <param name="review">The reviewer and the input the model saw.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns><see langword="true"/> when the outcome was recorded; <see langword="false"/> for a repeated prediction id.</returns>
    /// <exception cref="ArgumentException"><paramref name="review"/> has no reviewer id, a certainty outside [0, 1], or (appending) no input.</exception>
    /// <exception cref="InvalidOperationException">The prediction is not a regression.</exception>
    ValueTask<bool> RecordOutcomeAsync(Prediction prediction, double actualValue, OutcomeReview review, CancellationToken cancellationToken = default);
}
