using System.Collections.Immutable;
using SelfLearning.Internal;

namespace SelfLearning.Registry;

public partial class ModelRegistry
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
        return WriteAsync(registration.Name, change, ModelChangeKind.Registered, mustExist: false, (model, edit, _) =>
        {
            if (registration.Lineage.ParentVersion is int parent && parent > model.VersionCount)
            {
                throw new ArgumentException(
                    $"The parent version {parent} of model '{registration.Name}' does not exist; the model has {model.VersionCount} versions.",
                    nameof(registration));
            }

            return Task.FromResult(edit.Register(registration.CreateVersion(model.VersionCount + 1, sha256, stored.LongLength, edit.At), stored));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> ActivateAsync(string name, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.ChampionChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            if (target.Stage == ModelStage.Champion)
            {
                return target;
            }

            if (model.Champion is { } previous)
            {
                edit.Move(previous, ModelStage.Archived, RegistryOperation.Activate);
            }

            return edit.Move(target, ModelStage.Champion, RegistryOperation.Activate);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> DeactivateAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
        => WriteAsync(name, change, ModelChangeKind.ChampionChanged, mustExist: true, (model, edit, _) =>
        {
            var champion = model.Champion ?? throw new InvalidOperationException($"Model '{model.Name}' has no champion to deactivate.");
            return Task.FromResult(edit.Move(champion, ModelStage.Archived, RegistryOperation.Deactivate));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> RollBackAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
        => WriteAsync(name, change, ModelChangeKind.ChampionChanged, mustExist: true, async (model, edit, ct) =>
        {
            var champion = model.Champion ?? throw new InvalidOperationException($"Model '{model.Name}' has no champion to roll back.");
            var history = await ReadHistoryAsync(model.Name, model.HistoryLength, ct).ConfigureAwait(false);
            int target = ModelHistory.RollBackTarget(history)
                ?? throw new InvalidOperationException($"Model '{model.Name}' has no earlier champion to roll back to from version {champion.Version}.");
            var restored = await VersionAsync(model, target, ct).ConfigureAwait(false);
            edit.Move(champion, ModelStage.Rejected, RegistryOperation.RollBack);
            return edit.Move(restored, ModelStage.Champion, RegistryOperation.RollBack);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> SetStageAsync(string name, int version, ModelStage stage, RegistryChange change, CancellationToken cancellationToken = default)
    {
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.StageChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            ModelStageRules.EnsureCanSetStage(target, stage);
            return target.Stage == stage ? target : edit.Move(target, stage, RegistryOperation.SetStage);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetAliasAsync(string name, string aliasName, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.AliasChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            if (target.Aliases.Contains(aliasName, StringComparer.Ordinal))
            {
                return target;
            }

            var holder = await _store.ReadVersionByAliasAsync(model.Name, aliasName, ct).ConfigureAwait(false);
            return edit.SetAlias(aliasName, target, holder);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAliasAsync(string name, string aliasName, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        return WriteAsync(name, change, ModelChangeKind.AliasChanged, mustExist: true, async (model, edit, ct) =>
        {
            var holder = await _store.ReadVersionByAliasAsync(model.Name, aliasName, ct).ConfigureAwait(false);
            if (holder is null)
            {
                return false;
            }

            edit.RemoveAlias(aliasName, holder);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetTagAsync(string name, int version, string key, string value, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        RegistryNames.ValidateText(value);
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.MetadataChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            return target.Tags.TryGetValue(key, out string? current) && current == value
                ? target
                : edit.Replace(target with { Tags = target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).SetItem(key, value) });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> RemoveTagAsync(string name, int version, string key, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.MetadataChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            return target.Tags.ContainsKey(key)
                ? edit.Replace(target with { Tags = target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).Remove(key) })
                : target;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetEvaluationReportAsync(string name, int version, string reportJson, RegistryChange change, CancellationToken cancellationToken = default)
    {
        EvaluationReports.Validate(reportJson, nameof(reportJson));
        Guard.Positive(version);
        return WriteAsync(name, change, ModelChangeKind.MetadataChanged, mustExist: true, async (model, edit, ct) =>
        {
            var target = await VersionAsync(model, version, ct).ConfigureAwait(false);
            return target.EvaluationReport == reportJson ? target : edit.Replace(target with { EvaluationReport = reportJson });
        }, cancellationToken);
    }

    /// <summary>
    /// Runs one write: reads the model, checks the expected revision, lets <paramref name="decide"/> record the changes, and
    /// commits them at the revision read. A conflict on a write that named no revision is decided again on the new state.
    /// Logs the transitions and raises <see cref="Changed"/> after the commit.
    /// </summary>
    private async Task<TResult> WriteAsync<TResult>(
        string name,
        RegistryChange change,
        ModelChangeKind kind,
        bool mustExist,
        Func<StoredModel, Edit, CancellationToken, Task<TResult>> decide,
        CancellationToken cancellationToken)
    {
        RegistryNames.ValidateModelName(name);
        Guard.NotNull(change);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = await _store.ReadModelAsync(name, cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                model = mustExist
                    ? throw NoModel(name)
                    : new StoredModel { Name = name, Revision = 0, VersionCount = 0, HistoryLength = 0 };
            }

            if (change.ExpectedRevision is long expected && expected != model.Revision)
            {
                throw new RegistryConcurrencyException(name, expected, model.Revision);
            }

            var edit = new Edit(model, change, _timeProvider.GetUtcNow());
            TResult result = await decide(model, edit, cancellationToken).ConfigureAwait(false);
            if (!edit.Changed)
            {
                return result;
            }

            try
            {
                await _store.CommitAsync(edit.Build(kind), cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryConcurrencyException) when (change.ExpectedRevision is null)
            {
                // Another writer committed since the read; the caller asked for the latest state, so decide again on it.
                continue;
            }

            foreach (var transition in edit.Transitions)
            {
                LogTransition(transition);
            }

            RaiseChanged(name, edit.Revision, kind);
            return result;
        }
    }

    /// <summary>Reads a version of the model being written; it exists if its number is within the model's count.</summary>
    private async Task<ModelVersion> VersionAsync(StoredModel model, int version, CancellationToken cancellationToken)
        => version <= model.VersionCount
            ? await _store.ReadVersionAsync(model.Name, version, cancellationToken).ConfigureAwait(false) ?? throw NoVersion(model.Name, version)
            : throw NoVersion(model.Name, version);

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

    private void RaiseChanged(string name, long revision, ModelChangeKind kind)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        var args = new ModelRegistryChangedEventArgs(name, revision, kind);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ModelRegistryChangedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // The write has committed; a failing subscriber must not make it look failed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RegistryLog.ChangedHandlerFailed(_logger, e, name, revision);
            }
        }
    }
}
