namespace SelfLearning.Cases;

/// <summary>What <see cref="CaseCollector"/> does when different reviewers gave one case different labels.</summary>
public enum ConflictResolution
{
    /// <summary>Keep none of the reviews: count the case as needing review and report its id.</summary>
    NeedsReview = 0,

    /// <summary>Keep the latest review; its quality reflects how many reviews agreed with it.</summary>
    LatestWins = 1,
}
