namespace SelfLearning.Cases;

/// <summary>Why <see cref="CaseCollector"/> did not keep a case. Each case read is counted once, with its first reason.</summary>
public enum CaseRejectionReason
{
    /// <summary>The case could not be processed at all (a null case, or an error while reading its fields).</summary>
    Malformed = 0,

    /// <summary>The case has no id.</summary>
    MissingId = 1,

    /// <summary>The case's status is not <see cref="ValidationStatus.Validated"/>.</summary>
    NotValidated = 2,

    /// <summary>The case has no validation time.</summary>
    MissingValidationTime = 3,

    /// <summary>The case has no validated label.</summary>
    MissingLabel = 4,

    /// <summary>The case has no predicted label.</summary>
    MissingPrediction = 5,

    /// <summary>The case names no model or model version.</summary>
    MissingModel = 6,

    /// <summary>
    /// The case lacks an input part its model's trainer needs (<see cref="CaseInputRequirements"/>): no input at all
    /// where some is needed, or no raw score, features or class scores where that part is needed.
    /// </summary>
    MissingInput = 7,

    /// <summary>The model's confidence is NaN or outside [0, 1].</summary>
    InvalidConfidence = 8,

    /// <summary>The reviewer's certainty is NaN or outside [0, 1].</summary>
    InvalidCertainty = 9,

    /// <summary>The free text is longer than <see cref="CaseCollectorOptions.MaxFreeTextLength"/>.</summary>
    FreeTextTooLong = 10,

    /// <summary>An attribute is longer than <see cref="CaseCollectorOptions.MaxAttributeLength"/>, or there are more than <see cref="CaseCollectorOptions.MaxAttributes"/>.</summary>
    AttributesTooLarge = 11,

    /// <summary>The reviewer's certainty is below <see cref="CaseCollectorOptions.MinReviewerCertainty"/>.</summary>
    LowReviewerCertainty = 12,

    /// <summary>The model's confidence is below <see cref="CaseCollectorOptions.MinModelConfidence"/> (a filter off by default).</summary>
    LowModelConfidence = 13,

    /// <summary>The case's quality score is below <see cref="CaseQualityOptions.Threshold"/>.</summary>
    LowQuality = 14,

    /// <summary>A later review of the same case was kept instead.</summary>
    Superseded = 15,

    /// <summary>Reviewers gave the case different labels; it needs review rather than a guess.</summary>
    ConflictingLabels = 16,

    /// <summary>
    /// The case was in the source's first read of the run but not in the second (the source is not
    /// repeatable, see <see cref="ICaseSource"/>); it was not kept.
    /// </summary>
    ChangedDuringCollection = 17,

    /// <summary>
    /// The case was validated later than the collector's clock plus <see cref="CaseCollectorOptions.MaxClockSkew"/>:
    /// a wrong clock or a bad date, which would otherwise move the watermark into the future and make every later case look old.
    /// </summary>
    ValidatedInFuture = 18,

    /// <summary>A number in the case's input (a feature, the raw score or a class score) is NaN or infinite.</summary>
    NonFiniteInput = 19,

    /// <summary>The case's features are not as many as its model's trainer needs (<see cref="CaseInputRequirements.FeatureCount"/>).</summary>
    FeatureCountMismatch = 20,
}
