using SelfLearning.Internal;
using SelfLearning.Registry;

namespace SelfLearning.Experiments;

/// <summary>
/// Promotes a winning challenger through <see cref="IModelRegistry.ActivateAsync"/>: the challenger becomes
/// the champion and the previous champion is archived in one atomic step, recorded in the registry's
/// history with the actor and the experiment's reasons.
/// </summary>
/// <remarks>
/// The experiment's versions are the registry's version numbers. The activator
/// reads the model, checks that the champion is still the version the experiment measured, and activates
/// with that read's revision as <see cref="RegistryChange.ExpectedRevision"/>. If the champion changed
/// before the read, or anything changed the model between the read and the write, it throws
/// <see cref="RegistryConcurrencyException"/> and nothing is promoted: the experiment keeps running and
/// the next evaluation decides again.
/// </remarks>
internal sealed class RegistryChampionActivator : IChampionActivator
{
    /// <summary>The actor recorded in the registry's history when none is given.</summary>
    public const string DefaultActor = "selflearning-experiments";

    private readonly IModelRegistry _registry;
    private readonly string _actor;

    /// <summary>Creates an activator over <paramref name="registry"/>.</summary>
    /// <param name="registry">The model registry.</param>
    /// <param name="actor">Who the registry records as making the change.</param>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is empty.</exception>
    public RegistryChampionActivator(IModelRegistry registry, string actor = DefaultActor)
    {
        _registry = Guard.NotNull(registry);
        Guard.NotNullOrWhiteSpace(actor);
        _actor = RegistryNames.ValidateText(actor);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A version is not a registry version number (a positive integer).</exception>
    /// <exception cref="RegistryConcurrencyException">The champion is no longer the measured one, or the model changed during the promotion.</exception>
    public async ValueTask ActivateAsync(ChampionPromotion promotion, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(promotion);
        int champion = Guard.Positive(promotion.ChampionVersion, $"{nameof(promotion)}.{nameof(promotion.ChampionVersion)}");
        int challenger = Guard.Positive(promotion.ChallengerVersion, $"{nameof(promotion)}.{nameof(promotion.ChallengerVersion)}");

        RegisteredModel model = await _registry.GetModelAsync(promotion.ModelName, cancellationToken).ConfigureAwait(false);
        int? serving = model.Champion?.Version;
        if (serving != champion)
        {
            throw new RegistryConcurrencyException(
                $"Experiment '{promotion.ExperimentKey}' measured version {champion} of model '{promotion.ModelName}' as champion, " +
                $"but {(serving is int v ? $"version {v}" : "no version")} serves now (revision {model.Revision}); version {challenger} was not promoted.");
        }

        var change = new RegistryChange(_actor, Reason(promotion, champion, challenger)) { ExpectedRevision = model.Revision };
        await _registry.ActivateAsync(promotion.ModelName, challenger, change, cancellationToken).ConfigureAwait(false);
    }

    private static string Reason(ChampionPromotion promotion, int champion, int challenger)
    {
        string reason = $"Experiment '{promotion.ExperimentKey}' promoted version {challenger} over {champion}: {string.Join(" ", promotion.Reasons)}";
        return reason.Length <= RegistryNames.MaxTextLength ? reason : reason[..RegistryNames.MaxTextLength];
    }
}
