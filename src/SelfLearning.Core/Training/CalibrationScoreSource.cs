namespace SelfLearning.Training;

/// <summary>Which of the host model's outputs a calibrator is trained on.</summary>
public enum CalibrationScoreSource
{
    /// <summary>The confidence the host reported with its prediction (<c>AnonymizedCase.PredictedConfidence</c>), a probability.</summary>
    Confidence = 0,

    /// <summary>The host's raw score or margin (<c>CaseInput.RawScore</c>), for Platt or temperature scaling of logits.</summary>
    RawScore = 1,
}
