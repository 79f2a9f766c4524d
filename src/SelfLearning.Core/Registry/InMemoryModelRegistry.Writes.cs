using System.Collections.Immutable;
using SelfLearning.Internal;

namespace SelfLearning.Registry;

public sealed partial class InMemoryModelRegistry
{
    /// <inheritdoc />
    public Task<ModelVersion> RegisterAsync(
        ModelRegistration registration,
        ReadOnlyMemory<byte> artifact,
        long? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        Guard.NotNull(registration);
        if (expectedRevision is long expected)
        {
            Guard.NonNegative(expected, nameof(expectedRevision));
        }

        cancellationToken.ThrowIfCancellationRequested();
        byte[] stored = artifact.ToArray();
        string sha256 = ArtifactHash.Compute(stored);
        var change = new RegistryChange(registration.CreatedBy) { ExpectedRevision = expectedRevision };
        var registered = Write(registration.Name, change, ModelChangeKind.Registered, mustExist: false, (state, edit) =>
        {
            if (registration.Lineage.ParentVersion is int parent && parent > state.Versions.Count)
            {
                throw new ArgumentException(
                    $"The parent version {parent} of model '{registration.Name}' does not exist; the model has {state.Versions.Count} versions.",
                    nameof(registration));
            }

            return edit.Add(registration.CreateVersion(state.Versions.Count + 1, sha256, stored.LongLength, edit.At), stored);
        });
        return Task.FromResult(registered);
    }

    /// <inheritdoc />
    public Task<ModelVersion> ActivateAsync(string name, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            if (target.Stage == ModelStage.Champion)
            {
                return target;
            }

            if (state.Champion is int previous)
            {
                edit.Move(previous, ModelStage.Archived, RegistryOperation.Activate);
            }

            return edit.Move(version, ModelStage.Champion, RegistryOperation.Activate);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> DeactivateAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, (state, edit) =>
        {
            int champion = state.Champion ?? throw new InvalidOperationException($"Model '{state.Name}' has no champion to deactivate.");
            return edit.Move(champion, ModelStage.Archived, RegistryOperation.Deactivate);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> RollBackAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, (state, edit) =>
        {
            int champion = state.Champion ?? throw new InvalidOperationException($"Model '{state.Name}' has no champion to roll back.");
            int target = ModelHistory.RollBackTarget(state.History)
                ?? throw new InvalidOperationException($"Model '{state.Name}' has no earlier champion to roll back to from version {champion}.");
            edit.Move(champion, ModelStage.Rejected, RegistryOperation.RollBack);
            return edit.Move(target, ModelStage.Champion, RegistryOperation.RollBack);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetStageAsync(string name, int version, ModelStage stage, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.StageChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            ModelStageRules.EnsureCanSetStage(target, stage);
            return target.Stage == stage ? target : edit.Move(version, stage, RegistryOperation.SetStage);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetAliasAsync(string name, string aliasName, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.AliasChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            return state.Aliases.TryGetValue(aliasName, out int current) && current == version ? target : edit.SetAlias(aliasName, version);
        }));
    }

    /// <inheritdoc />
    public Task<bool> RemoveAliasAsync(string name, string aliasName, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.AliasChanged, mustExist: true, (_, edit) => edit.RemoveAlias(aliasName)));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetTagAsync(string name, int version, string key, string value, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        RegistryNames.ValidateText(value);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            return target.Tags.TryGetValue(key, out string? current) && current == value
                ? target
                : edit.Replace(target with { Tags = target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).SetItem(key, value) });
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> RemoveTagAsync(string name, int version, string key, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            return target.Tags.ContainsKey(key)
                ? edit.Replace(target with { Tags = target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).Remove(key) })
                : target;
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetEvaluationReportAsync(string name, int version, string reportJson, RegistryChange change, CancellationToken cancellationToken = default)
    {
        EvaluationReports.Validate(reportJson, nameof(reportJson));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, (state, edit) =>
        {
            var target = state.Version(version);
            return target.EvaluationReport == reportJson ? target : edit.Replace(target with { EvaluationReport = reportJson });
        }));
    }

    /// <summary>
    /// Applies one write under the lock: checks the expected revision, lets <paramref name="apply"/> record
    /// the changes, and publishes the new state in one reference swap. Raises <see cref="Changed"/> after.
    /// </summary>
    private TResult Write<TResult>(
        string name, RegistryChange change, ModelChangeKind kind, bool mustExist, Func<ModelState, Edit, TResult> apply)
    {
        RegistryNames.ValidateModelName(name);
        Guard.NotNull(change);
        TResult result;
        Edit edit;
        lock (_writeLock)
        {
            var models = _models;
            if (!models.TryGetValue(name, out var state))
            {
                state = mustExist
                    ? throw new KeyNotFoundException($"No model named '{name}' is registered.")
                    : ModelState.Empty(name);
            }

            if (change.ExpectedRevision is long expected && expected != state.Revision)
            {
                throw new RegistryConcurrencyException(name, expected, state.Revision);
            }

            edit = new Edit(state, change, _timeProvider.GetUtcNow());
            result = apply(state, edit);
            if (edit.Changed)
            {
                Volatile.Write(ref _models, models.SetItem(name, edit.Build()));
            }
        }

        if (edit.Changed)
        {
            foreach (var transition in edit.Added)
            {
                LogTransition(transition);
            }

            RaiseChanged(name, edit.Revision, kind);
        }

        return result;
    }

    private void LogTransition(StageTransition t)
    {
        if (t.Operation == RegistryOperation.Register)
        {
            RegistryLog.Registered(_logger, t.Name, t.Version, t.Actor, t.Revision);
        }
        else
        {
            RegistryLog.Transition(_logger, t.Name, t.Version, t.From, t.To, t.Actor, t.Operation, t.Revision, t.Reason);
        }
    }
}
