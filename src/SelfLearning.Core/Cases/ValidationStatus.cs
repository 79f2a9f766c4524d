namespace SelfLearning.Cases;

/// <summary>Where a feedback case stands in the host's review process.</summary>
public enum ValidationStatus
{
    /// <summary>Nobody has reviewed the prediction yet.</summary>
    Pending = 0,

    /// <summary>A reviewer confirmed or corrected the prediction; the validated label is the truth.</summary>
    Validated = 1,

    /// <summary>The case was thrown out (unusable input, wrong patient, test data).</summary>
    Rejected = 2,

    /// <summary>Reviewers disagree or the reviewer asked for a second opinion; no label can be trusted yet.</summary>
    NeedsReview = 3,
}
