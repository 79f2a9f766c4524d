namespace SelfLearning.Registry;

/// <summary>
/// The storage port of <see cref="ModelRegistry"/>: what a store must do so that every rule of the registry
/// (revisions, one champion, roll back, aliases, tags, history, events) comes from the core and is written once.
/// </summary>
/// <remarks>
/// <para>
/// A store holds, per model name: a revision, the versions (numbered 1, 2, 3…, never deleted) with their
/// artifacts, the aliases, and the append-only transition history. It decides nothing: it reads what it was
/// given and commits a <see cref="ModelRegistryCommit"/> whole.
/// </para>
/// <para>
/// The one promise that matters: <see cref="CommitAsync"/> is atomic and conditional. It applies every change of
/// the commit, or none, and only if the model's revision still equals <see cref="ModelRegistryCommit.ExpectedRevision"/>
/// (0 for a model not stored yet); otherwise it changes nothing and throws <see cref="RegistryConcurrencyException"/>
/// with the revision it found. Because the revision grows with every commit, the registry can read without locks
/// and still never commit a decision made on a state that has moved on. Reads may run at any time from many threads;
/// each read returns what was committed at one instant (for a page of versions, together with the revision it was
/// read at). Every member is called from many threads at once.
/// </para>
/// </remarks>
public interface IModelRegistryStore
{
    /// <summary>Reads the state of one model: its revision, counts and champion, at one instant.</summary>
    /// <param name="name">The model name (already validated).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when no model of that name is stored.</returns>
    Task<StoredModel?> ReadModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Reads one version, with the aliases that point at it.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or <see langword="null"/> when the model or the version is not stored.</returns>
    Task<ModelVersion?> ReadVersionAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Reads the version an alias points at, with all its aliases.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="aliasName">The alias (already validated).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or <see langword="null"/> when the model or the alias is not stored.</returns>
    Task<ModelVersion?> ReadVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a page of a model's versions in version order, together with the revision they were read at, in one
    /// consistent read: versions <paramref name="firstVersion"/> to <paramref name="firstVersion"/> + <paramref name="maxCount"/> − 1
    /// that exist.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="firstVersion">The first version number of the page (1 for the first page).</param>
    /// <param name="maxCount">The most versions to return (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model's name and revision with the page as <see cref="RegisteredModel.Versions"/>, or <see langword="null"/> when the model is not stored.</returns>
    Task<RegisteredModel?> ReadVersionsAsync(string name, int firstVersion, int maxCount, CancellationToken cancellationToken);

    /// <summary>Reads a page of a model's transition history in sequence order.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="firstSequence">The first sequence number of the page (1 for the first page).</param>
    /// <param name="maxCount">The most transitions to return (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The transitions with sequence numbers from <paramref name="firstSequence"/> on, at most <paramref name="maxCount"/>; empty for an unknown model.</returns>
    Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long firstSequence, int maxCount, CancellationToken cancellationToken);

    /// <summary>Lists the names of every stored model, in any order (the registry sorts them).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The names.</returns>
    Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);

    /// <summary>Reads the stored bytes of a version's artifact, exactly as stored (the registry verifies them).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// An array the caller may keep and change without changing the store (a store that keeps artifacts in memory
    /// returns a copy), or <see langword="null"/> when no artifact is stored for the version.
    /// </returns>
    Task<byte[]?> ReadArtifactAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Commits every change of <paramref name="commit"/> atomically, if and only if the model is still at
    /// <see cref="ModelRegistryCommit.ExpectedRevision"/>; afterwards the model is at <see cref="ModelRegistryCommit.Revision"/>.
    /// </summary>
    /// <param name="commit">The changes, decided by the registry.</param>
    /// <param name="cancellationToken">Cancels before the commit; a commit either happens whole or not at all.</param>
    /// <returns>A task that completes when the commit is durable.</returns>
    /// <exception cref="RegistryConcurrencyException">The model's revision differs from the expected one; nothing was changed.</exception>
    Task CommitAsync(ModelRegistryCommit commit, CancellationToken cancellationToken);
}
