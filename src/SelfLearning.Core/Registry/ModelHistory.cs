namespace SelfLearning.Registry;

/// <summary>Questions answered from a model's transition history alone, the same way by every registry.</summary>
internal static class ModelHistory
{
    /// <summary>Finds which version was champion at an instant.</summary>
    /// <param name="history">The model's transitions in sequence order (as <see cref="IModelRegistry.GetHistoryAsync"/> returns them).</param>
    /// <param name="at">The instant. A transition committed exactly at <paramref name="at"/> counts as done.</param>
    /// <returns>The champion's version number, or <see langword="null"/> when no version was champion then.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is <see langword="null"/>.</exception>
    public static int? ChampionAt(IEnumerable<StageTransition> history, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(history);
        int? champion = null;
        foreach (var transition in history)
        {
            if (transition.At > at)
            {
                break;
            }

            if (transition.To == ModelStage.Champion)
            {
                champion = transition.Version;
            }
            else if (transition.From == ModelStage.Champion && champion == transition.Version)
            {
                champion = null;
            }
        }

        return champion;
    }

    /// <summary>
    /// Finds the version a roll back restores: the champion that served before the current one, skipping
    /// reigns already rolled back and versions rejected since.
    /// </summary>
    /// <remarks>
    /// Champions form a stack: an activation pushes the new champion, a roll back pops the current one.
    /// So activating 1, 2, 3 and rolling back twice serves 2 and then 1, never 3 again; a deactivation leaves
    /// the stack alone, so the champion activated after it rolls back to the one deactivated.
    /// </remarks>
    /// <param name="history">The model's transitions in sequence order.</param>
    /// <returns>The version to restore, or <see langword="null"/> when there is no current champion or nothing to return to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is <see langword="null"/>.</exception>
    public static int? RollBackTarget(IEnumerable<StageTransition> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reigns = new List<int>();
        var stages = new Dictionary<int, ModelStage>();
        int? champion = null;
        foreach (var transition in history)
        {
            stages[transition.Version] = transition.To;
            if (transition.To == ModelStage.Champion)
            {
                champion = transition.Version;
                if (transition.Operation == RegistryOperation.RollBack)
                {
                    PopUntil(reigns, transition.Version);
                }
                else
                {
                    reigns.Add(transition.Version);
                }
            }
            else if (transition.From == ModelStage.Champion && champion == transition.Version)
            {
                champion = null;
            }
        }

        if (champion is null || reigns.Count == 0 || reigns[^1] != champion)
        {
            return null;
        }

        for (int i = reigns.Count - 2; i >= 0; i--)
        {
            int candidate = reigns[i];
            if (candidate != champion && stages[candidate] != ModelStage.Rejected)
            {
                return candidate;
            }
        }

        return null;
    }

    private static void PopUntil(List<int> reigns, int version)
    {
        while (reigns.Count > 0 && reigns[^1] != version)
        {
            reigns.RemoveAt(reigns.Count - 1);
        }

        if (reigns.Count == 0)
        {
            reigns.Add(version);
        }
    }
}
