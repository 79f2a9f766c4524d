using System.Collections.Immutable;

namespace SelfLearning.Registry;

public sealed partial class InMemoryModelRegistry
{
    /// <summary>One model at one revision. Never mutated: a write builds the next one with <see cref="Edit"/>.</summary>
    private sealed record ModelState(
        string Name,
        long Revision,
        ImmutableList<ModelVersion> Versions,
        ImmutableList<StageTransition> History,
        ImmutableSortedDictionary<string, int> Aliases,
        ImmutableList<byte[]> Artifacts,
        int? Champion)
    {
        public static ModelState Empty(string name) => new(
            name,
            0,
            ImmutableList<ModelVersion>.Empty,
            ImmutableList<StageTransition>.Empty,
            ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
            ImmutableList<byte[]>.Empty,
            null);

        public ModelVersion Version(int version)
        {
            CheckVersionArgument(version);
            return version <= Versions.Count
                ? Versions[version - 1]
                : throw new KeyNotFoundException($"Model '{Name}' has no version {version}.");
        }
    }

    /// <summary>The changes one write makes to a model, applied on top of the state it read, all committing together.</summary>
    private sealed class Edit
    {
        private readonly ModelState _state;
        private readonly RegistryChange _change;
        private readonly DateTimeOffset _at;
        private readonly ImmutableList<ModelVersion>.Builder _versions;
        private readonly ImmutableList<StageTransition>.Builder _history;
        private readonly List<StageTransition> _added = [];
        private ImmutableSortedDictionary<string, int> _aliases;
        private ImmutableList<byte[]> _artifacts;
        private int? _champion;

        public Edit(ModelState state, RegistryChange change, DateTimeOffset at)
        {
            _state = state;
            _change = change;
            _at = at;
            _versions = state.Versions.ToBuilder();
            _history = state.History.ToBuilder();
            _aliases = state.Aliases;
            _artifacts = state.Artifacts;
            _champion = state.Champion;
        }

        public long Revision => _state.Revision + 1;

        public DateTimeOffset At => _at;

        /// <summary>Gets whether anything was changed; a write that changes nothing commits nothing.</summary>
        public bool Changed { get; private set; }

        public IReadOnlyList<StageTransition> Added => _added;

        public ModelVersion Version(int version) => _versions[version - 1];

        public ModelVersion Add(ModelVersion version, byte[] artifact)
        {
            Changed = true;
            _versions.Add(version);
            _artifacts = _artifacts.Add(artifact);
            Record(version.Version, null, ModelStage.Candidate, RegistryOperation.Register);
            return version;
        }

        public ModelVersion Move(int version, ModelStage to, RegistryOperation operation)
        {
            var current = Version(version);
            if (to == ModelStage.Champion)
            {
                _champion = version;
            }
            else if (current.Stage == ModelStage.Champion)
            {
                _champion = null;
            }

            Record(version, current.Stage, to, operation);
            return Replace(current with { Stage = to });
        }

        public ModelVersion Replace(ModelVersion version)
        {
            Changed = true;
            _versions[version.Version - 1] = version;
            return version;
        }

        public ModelVersion SetAlias(string alias, int version)
        {
            if (_aliases.TryGetValue(alias, out int previous))
            {
                RemoveAliasFrom(previous, alias);
            }

            _aliases = _aliases.SetItem(alias, version);
            var target = Version(version);
            return Replace(target with { Aliases = [.. target.Aliases.Append(alias).Order(StringComparer.Ordinal)] });
        }

        public bool RemoveAlias(string alias)
        {
            if (!_aliases.TryGetValue(alias, out int version))
            {
                return false;
            }

            Changed = true;
            _aliases = _aliases.Remove(alias);
            RemoveAliasFrom(version, alias);
            return true;
        }

        public ModelState Build() => _state with
        {
            Revision = Revision,
            Versions = _versions.ToImmutable(),
            History = _history.ToImmutable(),
            Aliases = _aliases,
            Artifacts = _artifacts,
            Champion = _champion,
        };

        private void RemoveAliasFrom(int version, string alias)
        {
            var holder = Version(version);
            Replace(holder with { Aliases = [.. holder.Aliases.Where(a => !string.Equals(a, alias, StringComparison.Ordinal))] });
        }

        private void Record(int version, ModelStage? from, ModelStage to, RegistryOperation operation)
        {
            var transition = new StageTransition(
                _state.Name, _history.Count + 1, Revision, version, from, to, operation, _at, _change.Actor, _change.Reason);
            _history.Add(transition);
            _added.Add(transition);
        }
    }
}
