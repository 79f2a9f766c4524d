namespace SelfLearning.Experiments;

/// <summary>A promotion the decision engine asks an <see cref="IChampionActivator"/> to carry out, with the state it was decided on.</summary>
/// <param name="ExperimentKey">The experiment that decided it.</param>
/// <param name="ModelName">The model.</param>
/// <param name="ChampionVersion">
/// The registry version number the experiment measured as champion. The activator refuses the promotion when another
/// version serves by now, rather than replace a champion the experiment never tested against.
/// </param>
/// <param name="ChallengerVersion">The registry version number of the winning version to activate.</param>
/// <param name="Reasons">Why, each reason with its numbers (for the audit history).</param>
internal sealed record ChampionPromotion(
    string ExperimentKey,
    string ModelName,
    int ChampionVersion,
    int ChallengerVersion,
    IReadOnlyList<string> Reasons);
