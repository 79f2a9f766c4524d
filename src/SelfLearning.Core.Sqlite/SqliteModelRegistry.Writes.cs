using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SelfLearning.Registry;

namespace SelfLearning.Sqlite;

public sealed partial class SqliteModelRegistry
{
    /// <inheritdoc />
    public Task<ModelVersion> RegisterAsync(
        ModelRegistration registration,
        ReadOnlyMemory<byte> artifact,
        long? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (expectedRevision < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedRevision), expectedRevision, $"'expectedRevision' must not be negative, but is {expectedRevision}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        byte[] content = artifact.ToArray();
        string sha256 = ArtifactHash.Compute(content);
        var change = new RegistryChange(registration.CreatedBy) { ExpectedRevision = expectedRevision };
        return Task.FromResult(Write(registration.Name, change, ModelChangeKind.Registered, mustExist: false, scope =>
        {
            if (registration.Lineage.ParentVersion is int parent && parent > scope.VersionCount)
            {
                throw new ArgumentException(
                    $"The parent version {parent} of model '{registration.Name}' does not exist; the model has {scope.VersionCount} versions.",
                    nameof(registration));
            }

            var version = registration.CreateVersion(scope.VersionCount + 1, sha256, content.LongLength, scope.At);
            scope.Insert(version, content);
            return version;
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> ActivateAsync(string name, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            if (target.Stage == ModelStage.Champion)
            {
                return target;
            }

            if (scope.Champion() is ModelVersion previous)
            {
                scope.Move(previous, ModelStage.Archived, RegistryOperation.Activate);
            }

            return scope.Move(target, ModelStage.Champion, RegistryOperation.Activate);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> DeactivateAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, scope =>
        {
            var champion = scope.Champion() ?? throw new InvalidOperationException($"Model '{name}' has no champion to deactivate.");
            return scope.Move(champion, ModelStage.Archived, RegistryOperation.Deactivate);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> RollBackAsync(string name, RegistryChange change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.ChampionChanged, mustExist: true, scope =>
        {
            var champion = scope.Champion() ?? throw new InvalidOperationException($"Model '{name}' has no champion to roll back.");
            int target = ModelHistory.RollBackTarget(ReadHistory(scope.Connection, scope.Transaction, name))
                ?? throw new InvalidOperationException($"Model '{name}' has no earlier champion to roll back to from version {champion.Version}.");
            scope.Move(champion, ModelStage.Rejected, RegistryOperation.RollBack);
            return scope.Move(scope.Version(target), ModelStage.Champion, RegistryOperation.RollBack);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetStageAsync(string name, int version, ModelStage stage, RegistryChange change, CancellationToken cancellationToken = default)
    {
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.StageChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            ModelStageRules.EnsureCanSetStage(target, stage);
            return target.Stage == stage ? target : scope.Move(target, stage, RegistryOperation.SetStage);
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetAliasAsync(string name, string aliasName, int version, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.AliasChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            if (target.Aliases.Contains(aliasName, StringComparer.Ordinal))
            {
                return target;
            }

            scope.Execute(
                "INSERT INTO selflearning_registry_aliases (name, alias, version) VALUES ($name, $alias, $version) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version;",
                ("$alias", aliasName),
                ("$version", version));
            return scope.Version(version);
        }));
    }

    /// <inheritdoc />
    public Task<bool> RemoveAliasAsync(string name, string aliasName, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.AliasChanged, mustExist: true, scope =>
            scope.Execute("DELETE FROM selflearning_registry_aliases WHERE name = $name AND alias = $alias;", ("$alias", aliasName)) > 0));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetTagAsync(string name, int version, string key, string value, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        RegistryNames.ValidateText(value);
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            return target.Tags.TryGetValue(key, out string? current) && current == value
                ? target
                : scope.UpdateTags(target, target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).SetItem(key, value));
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> RemoveTagAsync(string name, int version, string key, RegistryChange change, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateKey(key);
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            return target.Tags.ContainsKey(key)
                ? scope.UpdateTags(target, target.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal).Remove(key))
                : target;
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion> SetEvaluationReportAsync(string name, int version, string reportJson, RegistryChange change, CancellationToken cancellationToken = default)
    {
        EvaluationReports.Validate(reportJson, nameof(reportJson));
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(name, change, ModelChangeKind.MetadataChanged, mustExist: true, scope =>
        {
            var target = scope.Version(version);
            if (target.EvaluationReport == reportJson)
            {
                return target;
            }

            scope.Execute(
                "UPDATE selflearning_registry_versions SET evaluation_report = $report WHERE name = $name AND version = $version;",
                ("$report", reportJson),
                ("$version", version));
            return target with { EvaluationReport = reportJson };
        }));
    }

    /// <summary>
    /// Runs one write in one <c>BEGIN IMMEDIATE</c> transaction: checks the expected revision, lets
    /// <paramref name="apply"/> make its changes, bumps the revision if anything changed, and commits;
    /// any exception rolls everything back. Raises <see cref="Changed"/> after the commit.
    /// </summary>
    private TResult Write<TResult>(string name, RegistryChange change, ModelChangeKind kind, bool mustExist, Func<WriteScope, TResult> apply)
    {
        RegistryNames.ValidateModelName(name);
        ArgumentNullException.ThrowIfNull(change);
        WriteScope? committed = null;
        TResult result = _database.Write((connection, transaction) =>
        {
            var model = ReadModel(connection, transaction, name);
            if (model is null)
            {
                if (mustExist)
                {
                    throw new KeyNotFoundException($"No model named '{name}' is registered.");
                }

                SqliteDatabase.Execute(
                    connection, transaction, "INSERT INTO selflearning_registry_models (name, revision, version_count) VALUES ($name, 0, 0);", ("$name", name));
            }

            var (revision, versionCount) = model ?? (0, 0);
            if (change.ExpectedRevision is long expected && expected != revision)
            {
                throw new RegistryConcurrencyException(name, expected, revision);
            }

            var scope = new WriteScope(connection, transaction, name, change, revision + 1, versionCount, _timeProvider.GetUtcNow());
            TResult value = apply(scope);
            if (scope.Changed)
            {
                scope.Execute(
                    "UPDATE selflearning_registry_models SET revision = $revision, version_count = $count WHERE name = $name;",
                    ("$revision", scope.Revision),
                    ("$count", scope.VersionCount));
                committed = scope;
            }

            return value;
        });

        if (committed is not null)
        {
            foreach (var t in committed.Added)
            {
                if (t.Operation == RegistryOperation.Register)
                {
                    SqliteLog.Registered(_logger, t.Name, t.Version, t.Actor, t.Revision);
                }
                else
                {
                    SqliteLog.Transition(_logger, t.Name, t.Version, t.From, t.To, t.Actor, t.Operation, t.Revision, t.Reason);
                }
            }

            RaiseChanged(name, committed.Revision, kind);
        }

        return result;
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
                SqliteLog.ChangedHandlerFailed(_logger, e, name, revision);
            }
        }
    }

    /// <summary>The statements of one write, all in its transaction, and what they changed.</summary>
    private sealed class WriteScope(
        SqliteConnection connection, SqliteTransaction transaction, string name, RegistryChange change, long revision, int versionCount, DateTimeOffset at)
    {
        private readonly List<StageTransition> _added = [];
        private long? _nextSequence;

        public SqliteConnection Connection => connection;

        public SqliteTransaction Transaction => transaction;

        public long Revision => revision;

        public int VersionCount { get; private set; } = versionCount;

        public DateTimeOffset At => at;

        public bool Changed { get; private set; }

        public IReadOnlyList<StageTransition> Added => _added;

        public ModelVersion Version(int version) => ExistingVersion(connection, transaction, name, version);

        public ModelVersion? Champion() => ReadVersions(connection, transaction, "WHERE v.name = $name AND v.stage = 2", ("$name", name)).SingleOrDefault();

        /// <summary>Runs a statement with <c>$name</c> bound to the model; marks the write as changed if it touched a row.</summary>
        public int Execute(string sql, params (string Name, object? Value)[] parameters)
        {
            int rows = SqliteDatabase.Execute(connection, transaction, sql, [("$name", name), .. parameters]);
            Changed |= rows > 0;
            return rows;
        }

        public void Insert(ModelVersion version, byte[] content)
        {
            Execute(
                """
                INSERT INTO selflearning_registry_versions (name, version, stage, metrics, parameters, tags, dataset_hash, trainer_type,
                    parent_version, training_job_id, artifact_sha256, artifact_size, created_at, created_by, evaluation_report,
                    training_watermark, holdout_size, reference_scores)
                VALUES ($name, $version, $stage, $metrics, $parameters, $tags, $dataset, $trainer, $parent, $job, $sha, $size, $at, $by, $report,
                    $watermark, $holdout, $reference);
                """,
                ("$version", version.Version),
                ("$stage", (int)version.Stage),
                ("$metrics", ToJson(version.Metrics)),
                ("$parameters", ToJson(version.Parameters)),
                ("$tags", ToJson(version.Tags)),
                ("$dataset", version.Lineage.DatasetHash),
                ("$trainer", version.Lineage.TrainerType),
                ("$parent", version.Lineage.ParentVersion),
                ("$job", version.Lineage.TrainingJobId),
                ("$sha", version.ArtifactSha256),
                ("$size", version.ArtifactSize),
                ("$at", version.CreatedAt.UtcTicks),
                ("$by", version.CreatedBy),
                ("$report", version.EvaluationReport),
                ("$watermark", version.Lineage.TrainingWatermark?.ToString("O", CultureInfo.InvariantCulture)),
                ("$holdout", version.Lineage.HoldoutSize),
                ("$reference", version.Lineage.ReferenceScores is { } reference ? JsonSerializer.Serialize(reference) : null));
            Execute(
                "INSERT INTO selflearning_registry_artifacts (name, version, content) VALUES ($name, $version, $content);",
                ("$version", version.Version),
                ("$content", content));
            VersionCount = version.Version;
            Record(version.Version, null, ModelStage.Candidate, RegistryOperation.Register);
        }

        public ModelVersion Move(ModelVersion version, ModelStage to, RegistryOperation operation)
        {
            Execute(
                "UPDATE selflearning_registry_versions SET stage = $stage WHERE name = $name AND version = $version;",
                ("$stage", (int)to),
                ("$version", version.Version));
            Record(version.Version, version.Stage, to, operation);
            return version with { Stage = to };
        }

        public ModelVersion UpdateTags(ModelVersion version, ImmutableSortedDictionary<string, string> tags)
        {
            Execute(
                "UPDATE selflearning_registry_versions SET tags = $tags WHERE name = $name AND version = $version;",
                ("$tags", ToJson(tags)),
                ("$version", version.Version));
            return version with { Tags = tags };
        }

        private void Record(int version, ModelStage? from, ModelStage to, RegistryOperation operation)
        {
            _nextSequence ??= 1 + (long)(SqliteDatabase.Scalar(
                connection, transaction, "SELECT COALESCE(MAX(sequence), 0) FROM selflearning_registry_transitions WHERE name = $name;", ("$name", name)) ?? 0L);
            var transition = new StageTransition(name, _nextSequence.Value, revision, version, from, to, operation, at, change.Actor, change.Reason);
            _nextSequence++;
            Execute(
                $"INSERT INTO selflearning_registry_transitions ({TransitionColumns}) VALUES ($name, $sequence, $revision, $version, $from, $to, $operation, $at, $actor, $reason);",
                ("$sequence", transition.Sequence),
                ("$revision", transition.Revision),
                ("$version", version),
                ("$from", from is null ? null : (int)from),
                ("$to", (int)to),
                ("$operation", (int)operation),
                ("$at", at.UtcTicks),
                ("$actor", change.Actor),
                ("$reason", change.Reason));
            _added.Add(transition);
        }
    }
}
