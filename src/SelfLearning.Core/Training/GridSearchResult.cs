namespace SelfLearning.Training;

/// <summary>The outcome of a <see cref="GridSearch"/>: the winning parameters and every candidate's scores.</summary>
/// <param name="BestParameters">The parameters with the best mean score (the first in grid order on a tie).</param>
/// <param name="Candidates">Every grid point with its fold scores, in grid order.</param>
internal sealed record GridSearchResult(TrainingParameters BestParameters, IReadOnlyList<GridSearchCandidate> Candidates);
