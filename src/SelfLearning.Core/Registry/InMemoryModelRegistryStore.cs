using System.Collections.Immutable;

namespace SelfLearning.Registry;

/// <summary>
/// The <see cref="IModelRegistryStore"/> of <see cref="InMemoryModelRegistry"/>: one immutable map of models, replaced as a
/// whole by each commit under a lock and read without it.
/// </summary>
internal sealed class InMemoryModelRegistryStore : IModelRegistryStore
{
    private static readonly Task<StoredModel?> NoModel = Task.FromResult<StoredModel?>(null);
    private readonly object _commitLock = new();
    private ImmutableDictionary<string, Model> _models = ImmutableDictionary.Create<string, Model>(StringComparer.Ordinal);

    public Task<StoredModel?> ReadModelAsync(string name, CancellationToken cancellationToken)
        => Find(name)?.StateTask ?? NoModel;

    public Task<ModelVersion?> ReadVersionAsync(string name, int version, CancellationToken cancellationToken)
        => Task.FromResult(Find(name) is { } model && version <= model.Versions.Count ? model.Versions[version - 1] : null);

    public Task<ModelVersion?> ReadVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
        => Task.FromResult(Find(name) is { } model && model.Aliases.TryGetValue(aliasName, out int version) ? model.Versions[version - 1] : null);

    public Task<RegisteredModel?> ReadVersionsAsync(string name, int firstVersion, int maxCount, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } model)
        {
            return Task.FromResult<RegisteredModel?>(null);
        }

        int start = Math.Min(firstVersion - 1, model.Versions.Count);
        IReadOnlyList<ModelVersion> page = start == 0 && model.Versions.Count <= maxCount
            ? model.Versions
            : model.Versions.GetRange(start, Math.Min(maxCount, model.Versions.Count - start));
        return Task.FromResult<RegisteredModel?>(new RegisteredModel { Name = name, Revision = model.State.Revision, Versions = page });
    }

    public Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long firstSequence, int maxCount, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } model || firstSequence > model.History.Count)
        {
            return Task.FromResult<IReadOnlyList<StageTransition>>([]);
        }

        int start = (int)firstSequence - 1;
        IReadOnlyList<StageTransition> page = start == 0 && model.History.Count <= maxCount
            ? model.History
            : model.History.GetRange(start, Math.Min(maxCount, model.History.Count - start));
        return Task.FromResult(page);
    }

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<string>>([.. Volatile.Read(ref _models).Keys]);

    public Task<byte[]?> ReadArtifactAsync(string name, int version, CancellationToken cancellationToken)
        => Task.FromResult(Find(name) is { } model && version <= model.Artifacts.Count ? model.Artifacts[version - 1].AsSpan().ToArray() : null);

    public Task CommitAsync(ModelRegistryCommit commit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_commitLock)
        {
            var models = Volatile.Read(ref _models);
            var model = models.GetValueOrDefault(commit.Name) ?? Model.Empty(commit.Name);
            if (model.State.Revision != commit.ExpectedRevision)
            {
                throw new RegistryConcurrencyException(commit.Name, commit.ExpectedRevision, model.State.Revision);
            }

            Volatile.Write(ref _models, models.SetItem(commit.Name, model.Apply(commit)));
        }

        return Task.CompletedTask;
    }

    /// <summary>The array holding a stored artifact (a test hook: flipping a byte in it corrupts the store).</summary>
    public byte[] StoredArtifact(string name, int version) => Find(name)!.Artifacts[version - 1];

    private Model? Find(string name) => Volatile.Read(ref _models).GetValueOrDefault(name);

    /// <summary>One model at one revision. Never mutated: a commit builds the next one.</summary>
    private sealed record Model(
        StoredModel State,
        ImmutableList<ModelVersion> Versions,
        ImmutableList<StageTransition> History,
        ImmutableDictionary<string, int> Aliases,
        ImmutableList<byte[]> Artifacts)
    {
        /// <summary>Gets <see cref="State"/> as a completed task, made once per commit, so a read of the state allocates nothing.</summary>
        public Task<StoredModel?> StateTask { get; } = Task.FromResult<StoredModel?>(State);

        public static Model Empty(string name) => new(
            new StoredModel { Name = name, Revision = 0, VersionCount = 0, HistoryLength = 0 },
            [],
            [],
            ImmutableDictionary.Create<string, int>(StringComparer.Ordinal),
            []);

        public Model Apply(ModelRegistryCommit commit)
        {
            var versions = Versions.ToBuilder();
            var artifacts = Artifacts;
            if (commit.Registered is { } registered)
            {
                versions.Add(registered);
                artifacts = artifacts.Add(commit.Artifact.ToArray());
            }

            foreach (var updated in commit.Updated)
            {
                versions[updated.Version - 1] = updated;
            }

            var aliases = Aliases.ToBuilder();
            foreach (var (alias, version) in commit.Aliases)
            {
                if (version is int target)
                {
                    aliases[alias] = target;
                }
                else
                {
                    aliases.Remove(alias);
                }
            }

            var history = History.AddRange(commit.Transitions);
            var state = new StoredModel
            {
                Name = State.Name,
                Revision = commit.Revision,
                VersionCount = versions.Count,
                HistoryLength = history.Count,
                Champion = ChampionAfter(State.Champion, commit.Updated),
            };
            return new Model(state, versions.ToImmutable(), history, aliases.ToImmutable(), artifacts);
        }

        /// <summary>The champion after the updates: the version that entered the stage, else the old one unless it left it.</summary>
        private static ModelVersion? ChampionAfter(ModelVersion? champion, IReadOnlyList<ModelVersion> updated)
        {
            foreach (var version in updated)
            {
                if (version.Stage == ModelStage.Champion)
                {
                    champion = version;
                }
                else if (champion?.Version == version.Version)
                {
                    champion = null;
                }
            }

            return champion;
        }
    }
}
