using SelfLearning.Registry;

namespace SelfLearning.Tests.Registry;

/// <summary>
/// A registry store written from <see cref="IModelRegistryStore"/> alone, the way a host would write one over its own
/// database: plain dictionaries and lists behind one lock, no registry rule anywhere. It passes the whole
/// <see cref="ModelRegistryContractTests"/> through <see cref="ModelRegistry"/>, which is what shows a host's store
/// inherits every rule.
/// </summary>
internal sealed class DictionaryModelRegistryStore : IModelRegistryStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Model> _models = new(StringComparer.Ordinal);

    public Task<StoredModel?> ReadModelAsync(string name, CancellationToken cancellationToken) => Read(name, model => new StoredModel
    {
        Name = name,
        Revision = model.Revision,
        VersionCount = model.Versions.Count,
        HistoryLength = model.History.Count,
        Champion = model.Versions.Select(model.WithAliases).SingleOrDefault(v => v.Stage == ModelStage.Champion),
    });

    public Task<ModelVersion?> ReadVersionAsync(string name, int version, CancellationToken cancellationToken)
        => Read(name, model => version <= model.Versions.Count ? model.WithAliases(model.Versions[version - 1]) : null);

    public Task<ModelVersion?> ReadVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
        => Read(name, model => model.Aliases.TryGetValue(aliasName, out int version) ? model.WithAliases(model.Versions[version - 1]) : null);

    public Task<RegisteredModel?> ReadVersionsAsync(string name, int firstVersion, int maxCount, CancellationToken cancellationToken)
        => Read(name, model => new RegisteredModel
        {
            Name = name,
            Revision = model.Revision,
            Versions = [.. model.Versions.Skip(firstVersion - 1).Take(maxCount).Select(model.WithAliases)],
        });

    public async Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long firstSequence, int maxCount, CancellationToken cancellationToken)
        => await Read<IReadOnlyList<StageTransition>>(name, model => [.. model.History.Where(t => t.Sequence >= firstSequence).Take(maxCount)]) ?? [];

    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _models.Keys]);
        }
    }

    public Task<byte[]?> ReadArtifactAsync(string name, int version, CancellationToken cancellationToken)
        => Read(name, model => version <= model.Artifacts.Count ? (byte[])model.Artifacts[version - 1].Clone() : null);

    public Task CommitAsync(ModelRegistryCommit commit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            long revision = _models.TryGetValue(commit.Name, out var found) ? found.Revision : 0;
            if (revision != commit.ExpectedRevision)
            {
                throw new RegistryConcurrencyException(commit.Name, commit.ExpectedRevision, revision);
            }

            var model = found ?? (_models[commit.Name] = new Model());
            if (commit.Registered is { } registered)
            {
                model.Versions.Add(registered);
                model.Artifacts.Add(commit.Artifact.ToArray());
            }

            foreach (var version in commit.Updated)
            {
                model.Versions[version.Version - 1] = version;
            }

            foreach (var (alias, version) in commit.Aliases)
            {
                if (version is int target)
                {
                    model.Aliases[alias] = target;
                }
                else
                {
                    model.Aliases.Remove(alias);
                }
            }

            model.History.AddRange(commit.Transitions);
            model.Revision = commit.Revision;
        }

        return Task.CompletedTask;
    }

    /// <summary>Flips one byte of a stored artifact, behind the registry's back.</summary>
    public void Corrupt(string name, int version)
    {
        lock (_lock)
        {
            byte[] stored = _models[name].Artifacts[version - 1];
            stored[stored.Length / 2] ^= 0x01;
        }
    }

    private Task<T?> Read<T>(string name, Func<Model, T?> read)
        where T : class
    {
        lock (_lock)
        {
            return Task.FromResult(_models.TryGetValue(name, out var model) ? read(model) : null);
        }
    }

    private sealed class Model
    {
        public long Revision { get; set; }

        public List<ModelVersion> Versions { get; } = [];

        public List<byte[]> Artifacts { get; } = [];

        public Dictionary<string, int> Aliases { get; } = new(StringComparer.Ordinal);

        public List<StageTransition> History { get; } = [];

        /// <summary>The version with the aliases this store keeps in its own map, so the aliases a version reports are the map's.</summary>
        public ModelVersion WithAliases(ModelVersion version) => version with
        {
            Aliases = [.. Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order(StringComparer.Ordinal)],
        };
    }
}
