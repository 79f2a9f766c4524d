namespace SelfLearning.Registry;

public partial class ModelRegistry
{
    /// <summary>The changes one write decides on top of the state it read; <see cref="Build"/> makes them one commit.</summary>
    private sealed class Edit(StoredModel model, RegistryChange change, DateTimeOffset at)
    {
        private readonly List<ModelVersion> _updated = [];
        private readonly Dictionary<string, int?> _aliases = new(StringComparer.Ordinal);
        private readonly List<StageTransition> _transitions = [];
        private ModelVersion? _registered;
        private ReadOnlyMemory<byte> _artifact;

        public DateTimeOffset At => at;

        public long Revision => model.Revision + 1;

        /// <summary>Gets whether anything was changed; a write that changes nothing commits nothing.</summary>
        public bool Changed => _registered is not null || _updated.Count > 0 || _aliases.Count > 0;

        public IReadOnlyList<StageTransition> Transitions => _transitions;

        public ModelVersion Register(ModelVersion version, byte[] artifact)
        {
            _registered = version;
            _artifact = artifact;
            Record(version.Version, null, ModelStage.Candidate, RegistryOperation.Register);
            return version;
        }

        public ModelVersion Move(ModelVersion version, ModelStage to, RegistryOperation operation)
        {
            Record(version.Version, version.Stage, to, operation);
            return Replace(version with { Stage = to });
        }

        /// <summary>Records a version's new state; a version changed twice keeps its first place in the order of changes.</summary>
        public ModelVersion Replace(ModelVersion version)
        {
            int index = _updated.FindIndex(v => v.Version == version.Version);
            if (index >= 0)
            {
                _updated[index] = version;
            }
            else
            {
                _updated.Add(version);
            }

            return version;
        }

        /// <summary>Points <paramref name="alias"/> at <paramref name="target"/>, taking it from the version that held it.</summary>
        public ModelVersion SetAlias(string alias, ModelVersion target, ModelVersion? holder)
        {
            if (holder is not null)
            {
                Replace(WithoutAlias(holder, alias));
            }

            _aliases[alias] = target.Version;
            return Replace(target with { Aliases = [.. target.Aliases.Append(alias).Order(StringComparer.Ordinal)] });
        }

        public void RemoveAlias(string alias, ModelVersion holder)
        {
            _aliases[alias] = null;
            Replace(WithoutAlias(holder, alias));
        }

        public ModelRegistryCommit Build(ModelChangeKind kind) => new(
            kind,
            model.Name,
            model.Revision,
            _registered?.Version ?? model.VersionCount,
            _registered,
            _artifact,
            _updated,
            _aliases,
            _transitions);

        private static ModelVersion WithoutAlias(ModelVersion version, string alias)
            => version with { Aliases = [.. version.Aliases.Where(a => !string.Equals(a, alias, StringComparison.Ordinal))] };

        private void Record(int version, ModelStage? from, ModelStage to, RegistryOperation operation)
            => _transitions.Add(new StageTransition(
                model.Name, model.HistoryLength + _transitions.Count + 1, Revision, version, from, to, operation, at, change.Actor, change.Reason));
    }
}
