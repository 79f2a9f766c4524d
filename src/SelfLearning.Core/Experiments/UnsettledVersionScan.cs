using System.Collections.Concurrent;
using SelfLearning.Registry;

namespace SelfLearning.Experiments;

/// <summary>
/// Finds the versions of a model that a stopped process may have left half-way, for the rollout's recovery before every
/// cycle, reading only what changed since the last look instead of every version the model ever had: the first look at
/// a model reads all its versions; later looks read the newest version (one row) and, when the model changed since, the
/// versions registered after the last look plus the ones still unsettled then. Thread-safe.
/// </summary>
/// <remarks>
/// This relies on how stages move: a version is registered as a candidate, becomes challenger from there, and leaves
/// both for good (champion, archived, rejected); no stage change makes an older version a candidate or challenger
/// again. So a version settled at one look stays settled, and only versions registered since can newly need recovery.
/// </remarks>
/// <param name="registry">The registry read.</param>
/// <param name="isUnsettled">Whether a version needs the recovery's attention (its stage, and that the loop made it).</param>
internal sealed class UnsettledVersionScan(IModelRegistry registry, Func<ModelVersion, bool> isUnsettled)
{
    private readonly ConcurrentDictionary<string, Look> _looks = new(StringComparer.Ordinal);

    /// <summary>Reads the unsettled versions of <paramref name="modelName"/>, oldest first; none when the model is not registered.</summary>
    /// <param name="modelName">The model name.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The versions to recover.</returns>
    public async Task<IReadOnlyList<ModelVersion>> FindAsync(string modelName, CancellationToken cancellationToken)
    {
        ModelVersionsPage newest;
        try
        {
            newest = await registry.GetVersionsPageAsync(modelName, null, 1, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            return [];
        }

        Look? last = _looks.GetValueOrDefault(modelName);
        if (last is not null && last.Revision == newest.Revision && last.Unsettled.Length == 0)
        {
            return [];
        }

        int seenUpTo = last?.NewestVersion ?? 0;
        var found = new List<ModelVersion>();
        int? top = newest.VersionCount > seenUpTo ? newest.VersionCount : null;
        while (top is int pageTop && pageTop > seenUpTo)
        {
            ModelVersionsPage page = await registry.GetVersionsPageAsync(modelName, pageTop, IModelRegistry.MaxVersionsPageSize, cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Versions.Where(v => v.Version > seenUpTo && isUnsettled(v)));
            top = page.NextNewestVersion;
        }

        foreach (int version in last?.Unsettled ?? [])
        {
            ModelVersion again = await registry.GetAsync(modelName, version, cancellationToken).ConfigureAwait(false);
            if (isUnsettled(again))
            {
                found.Add(again);
            }
        }

        found.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        _looks[modelName] = new Look(newest.Revision, Math.Max(newest.VersionCount, seenUpTo), [.. found.Select(v => v.Version)]);
        return found;
    }

    /// <summary>What the last look saw: the model's revision then, the newest version read and the versions still unsettled.</summary>
    private sealed record Look(long Revision, int NewestVersion, int[] Unsettled);
}
