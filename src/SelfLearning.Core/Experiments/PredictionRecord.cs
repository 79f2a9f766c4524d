using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// A prediction whose outcome will be known later (a label days after the prediction): the arm
/// that served it and, for labels, the outputs to compare with the label.
/// </summary>
public sealed record PredictionRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="predictionId">The host's prediction id, unique across experiments.</param>
    /// <param name="arm">The arm that served the prediction.</param>
    /// <param name="servedOutput">The output served (the predicted label), or <see langword="null"/> when outcomes will come as values.</param>
    /// <param name="shadowOutput">In shadow mode, the challenger's unserved output; otherwise <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A key or id is empty, or a shadow output is given without a served output.</exception>
    public PredictionRecord(string experimentKey, string predictionId, ExperimentArm arm, string? servedOutput = null, string? shadowOutput = null)
    {
        ExperimentKey = Guard.NotNullOrWhiteSpace(experimentKey);
        PredictionId = Guard.NotNullOrWhiteSpace(predictionId);
        if (!Enum.IsDefined(arm))
        {
            throw new ArgumentOutOfRangeException(nameof(arm), arm, $"'{nameof(arm)}' is not an {nameof(ExperimentArm)}.");
        }

        if (shadowOutput is not null && (servedOutput is null || arm != ExperimentArm.Champion))
        {
            throw new ArgumentException("A shadow output needs the champion's served output beside it.", nameof(shadowOutput));
        }

        Arm = arm;
        ServedOutput = servedOutput;
        ShadowOutput = shadowOutput;
    }

    /// <summary>Gets the experiment key.</summary>
    public string ExperimentKey { get; }

    /// <summary>Gets the prediction id.</summary>
    public string PredictionId { get; }

    /// <summary>Gets the arm that served the prediction.</summary>
    public ExperimentArm Arm { get; }

    /// <summary>Gets the served output, if kept.</summary>
    public string? ServedOutput { get; }

    /// <summary>Gets the challenger's shadow output, if this is a shadow-mode prediction.</summary>
    public string? ShadowOutput { get; }

    /// <summary>Gets a value indicating whether this is a shadow-mode prediction with both outputs kept.</summary>
    public bool IsShadow => ShadowOutput is not null;
}
