namespace SelfLearning.Registry;

/// <summary>
/// The memory of the self-learning loop: which versions of each model exist, how each was made and
/// scored, which one serves as champion now, and the full history of who changed what, when and why.
/// </summary>
/// <remarks>
/// <para>
/// Every write is atomic: it commits completely or not at all, readers never see a model with two
/// champions or, mid-swap, none. Every committed write raises <see cref="Changed"/> after the commit.
/// Writes may name the revision they expect (<see cref="RegistryChange.ExpectedRevision"/>); a write
/// against a stale revision throws <see cref="RegistryConcurrencyException"/> and changes nothing.
/// </para>
/// <para>
/// Model names and aliases follow <see cref="RegistryNames"/>. An unknown model or version raises
/// <see cref="KeyNotFoundException"/> naming it. Implementations are safe to call from many threads.
/// </para>
/// </remarks>
public interface IModelRegistry
{
    /// <summary>Raised after a write to a model commits. Handlers run on the writer's thread; their exceptions are logged, not thrown.</summary>
    event EventHandler<ModelRegistryChangedEventArgs>? Changed;

    /// <summary>Registers a new version as a <see cref="ModelStage.Candidate"/> and stores its artifact with its SHA-256.</summary>
    /// <param name="registration">The metadata.</param>
    /// <param name="artifact">The serialized model; copied, so the caller may reuse the buffer.</param>
    /// <param name="expectedRevision">The model revision the registration expects (0 for a new model), or <see langword="null"/> for any.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The new version, numbered one past the highest version the model ever had.</returns>
    Task<ModelVersion> RegisterAsync(
        ModelRegistration registration,
        ReadOnlyMemory<byte> artifact,
        long? expectedRevision = null,
        CancellationToken cancellationToken = default);

    /// <summary>Gets one version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    Task<ModelVersion> GetAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Gets the version an alias points at.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="aliasName">The alias.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    Task<ModelVersion> GetByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default);

    /// <summary>Gets the champion, or <see langword="null"/> when the model has none or does not exist.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The champion, or <see langword="null"/>.</returns>
    Task<ModelVersion?> GetChampionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Gets a consistent snapshot of a model: its revision and every version, read at one instant.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot.</returns>
    Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets one page of a model's versions, newest first, with its version count and champion, read at one revision;
    /// the cost does not grow with the number of versions the model ever had (the default implementation, for
    /// registries that do not override it, reads the whole model).
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="newestVersion">The newest version on the page (a page's <see cref="ModelVersionsPage.NextNewestVersion"/>), or <see langword="null"/> for the latest.</param>
    /// <param name="maxCount">The most versions on the page, 1 to <see cref="MaxVersionsPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page; empty when the model has no versions yet.</returns>
    /// <exception cref="KeyNotFoundException">The model does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newestVersion"/> is below 1 or <paramref name="maxCount"/> is out of range.</exception>
    async Task<ModelVersionsPage> GetVersionsPageAsync(string name, int? newestVersion = null, int maxCount = DefaultVersionsPageSize, CancellationToken cancellationToken = default)
    {
        ModelVersionsPageRules.Validate(newestVersion, maxCount);
        RegisteredModel model = await GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        int newest = Math.Min(newestVersion ?? int.MaxValue, model.Versions.Count);
        return new ModelVersionsPage
        {
            Name = model.Name,
            Revision = model.Revision,
            VersionCount = model.Versions.Count,
            Champion = model.Champion,
            Versions = [.. model.Versions.Where(v => v.Version <= newest).OrderByDescending(v => v.Version).Take(maxCount)],
        };
    }

    /// <summary>
    /// Gets one page of a model's stage history, newest first: the transitions up to <paramref name="newestSequence"/>, so
    /// the cost does not grow with the model's history (the default implementation, for registries that do not override
    /// it, reads the whole history). The next, older page starts at the last transition's sequence minus one.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="newestSequence">The newest transition on the page (its <see cref="StageTransition.Sequence"/>), or <see langword="null"/> for the latest.</param>
    /// <param name="maxCount">The most transitions on the page, 1 to <see cref="MaxVersionsPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, newest first; empty when the model has no history yet.</returns>
    /// <exception cref="KeyNotFoundException">The model does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newestSequence"/> is below 1 or <paramref name="maxCount"/> is out of range.</exception>
    async Task<IReadOnlyList<StageTransition>> GetHistoryPageAsync(string name, long? newestSequence = null, int maxCount = DefaultVersionsPageSize, CancellationToken cancellationToken = default)
    {
        ModelVersionsPageRules.ValidateHistory(newestSequence, maxCount);
        await GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StageTransition> history = await GetHistoryAsync(name, cancellationToken).ConfigureAwait(false);
        long newest = newestSequence ?? long.MaxValue;
        return [.. history.Where(t => t.Sequence <= newest).OrderByDescending(t => t.Sequence).Take(maxCount)];
    }

    /// <summary>The page size <see cref="GetVersionsPageAsync"/> uses when none is given.</summary>
    public const int DefaultVersionsPageSize = 50;

    /// <summary>The largest page <see cref="GetVersionsPageAsync"/> returns.</summary>
    public const int MaxVersionsPageSize = 1000;

    /// <summary>Lists the names of every registered model, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The names.</returns>
    Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a version's artifact after verifying its SHA-256 and size.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The artifact bytes, exactly as registered.</returns>
    /// <exception cref="ArtifactIntegrityException">The stored bytes do not match; they are not returned.</exception>
    Task<ReadOnlyMemory<byte>> OpenArtifactAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a version the champion. In the same atomic step the previous champion, if any, becomes
    /// <see cref="ModelStage.Archived"/>. Activating the current champion changes nothing.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version to serve.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The new champion.</returns>
    Task<ModelVersion> ActivateAsync(string name, int version, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Archives the champion, leaving the model with none.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The archived former champion.</returns>
    /// <exception cref="InvalidOperationException">The model has no champion.</exception>
    Task<ModelVersion> DeactivateAsync(string name, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Restores the previous champion (see <see cref="ModelHistory.RollBackTarget"/>) in one atomic step;
    /// the current champion becomes <see cref="ModelStage.Rejected"/>.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The restored champion.</returns>
    /// <exception cref="InvalidOperationException">There is no champion, or no earlier champion to return to.</exception>
    Task<ModelVersion> RollBackAsync(string name, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Moves a version between non-champion stages (see <see cref="ModelStageRules"/>), for example Candidate to Challenger.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="stage">The new stage.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The version in its new stage.</returns>
    Task<ModelVersion> SetStageAsync(string name, int version, ModelStage stage, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="aliasName">The alias (see <see cref="RegistryNames.ValidateAlias"/>).</param>
    /// <param name="version">The version number.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The version the alias now points at.</returns>
    Task<ModelVersion> SetAliasAsync(string name, string aliasName, int version, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="aliasName">The alias.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns><see langword="true"/> when the alias existed and was removed.</returns>
    Task<bool> RemoveAliasAsync(string name, string aliasName, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Sets a tag on a version, replacing any value it had.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag key (see <see cref="RegistryNames.ValidateKey"/>).</param>
    /// <param name="value">The value (see <see cref="RegistryNames.ValidateText"/>).</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The version with the tag.</returns>
    Task<ModelVersion> SetTagAsync(string name, int version, string key, string value, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag from a version; removing an absent tag changes nothing.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The version without the tag.</returns>
    Task<ModelVersion> RemoveTagAsync(string name, int version, string key, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Records the evaluation or gate report (JSON, see <see cref="EvaluationReports"/>) that decided a version's fate.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="reportJson">The report.</param>
    /// <param name="change">Who, why, and the expected revision.</param>
    /// <param name="cancellationToken">Cancels before the write commits.</param>
    /// <returns>The version with the report.</returns>
    Task<ModelVersion> SetEvaluationReportAsync(string name, int version, string reportJson, RegistryChange change, CancellationToken cancellationToken = default);

    /// <summary>Gets every stage transition of a model, in commit order: the audit trail that answers "what served when".</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The transitions (empty for an unknown model).</returns>
    Task<IReadOnlyList<StageTransition>> GetHistoryAsync(string name, CancellationToken cancellationToken = default);
}
