using SelfLearning.Registry;

namespace SelfLearning.Tests.Registry;

/// <summary>The full registry contract, run on <see cref="ModelRegistry"/> over a store that knows only the port.</summary>
public sealed class PortOnlyModelRegistryTests : ModelRegistryContractTests
{
    private readonly DictionaryModelRegistryStore _store = new();

    protected override IModelRegistry CreateRegistry(TimeProvider timeProvider) => new ModelRegistry(_store, timeProvider);

    protected override void CorruptStoredArtifact(IModelRegistry registry, string name, int version) => _store.Corrupt(name, version);

    [Fact]
    public void Constructor_NullStore_ThrowsNamingIt()
    {
        var act = () => new ModelRegistry(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("store");
    }

    [Fact]
    public async Task ActivateAsync_AnotherWriterCommitsBetweenReadAndCommit_IsDecidedAgainOnTheNewState()
    {
        var registry = await RegistryWithVersionsAsync(3);
        await registry.ActivateAsync(Model, 1, By("ops"));
        var interloper = new ModelRegistry(_store, Clock);
        var racing = new ModelRegistry(new InterleavingStore(_store, () => interloper.ActivateAsync(Model, 3, By("other"))), Clock);

        var champion = await racing.ActivateAsync(Model, 2, By("ops", "second"));

        champion.Version.Should().Be(2);
        var model = await registry.GetModelAsync(Model);
        model.Versions.Select(v => v.Stage).Should().Equal(ModelStage.Archived, ModelStage.Champion, ModelStage.Archived);
        model.Revision.Should().Be(6, "three registrations, the first activation, the interloper's, and ours once");
        (await registry.GetHistoryAsync(Model)).TakeLast(2).Select(t => (t.Version, t.From, t.To, t.Actor)).Should().Equal(
            (3, ModelStage.Champion, ModelStage.Archived, "ops"), (2, ModelStage.Candidate, ModelStage.Champion, "ops"));
    }

    [Fact]
    public async Task ActivateAsync_ExpectedRevisionAndAnotherWriterCommitsFirst_ThrowsConflictWithTheNewRevision()
    {
        var registry = await RegistryWithVersionsAsync(3);
        var interloper = new ModelRegistry(_store, Clock);
        var racing = new ModelRegistry(new InterleavingStore(_store, () => interloper.ActivateAsync(Model, 3, By("other"))), Clock);
        int raised = 0;
        racing.Changed += (_, _) => raised++;

        var thrown = await racing.Invoking(r => r.ActivateAsync(Model, 2, By("ops", expectedRevision: 3))).Should().ThrowAsync<RegistryConcurrencyException>();

        thrown.Which.ExpectedRevision.Should().Be(3);
        thrown.Which.ActualRevision.Should().Be(4);
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(3);
        raised.Should().Be(0);
    }

    /// <summary>A store that lets another writer commit just before its first commit: the race the revision check guards.</summary>
    private sealed class InterleavingStore(IModelRegistryStore inner, Func<Task> interleave) : IModelRegistryStore
    {
        private Func<Task>? _interleave = interleave;

        public Task<StoredModel?> ReadModelAsync(string name, CancellationToken cancellationToken) => inner.ReadModelAsync(name, cancellationToken);

        public Task<ModelVersion?> ReadVersionAsync(string name, int version, CancellationToken cancellationToken) => inner.ReadVersionAsync(name, version, cancellationToken);

        public Task<ModelVersion?> ReadVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
            => inner.ReadVersionByAliasAsync(name, aliasName, cancellationToken);

        public Task<RegisteredModel?> ReadVersionsAsync(string name, int firstVersion, int maxCount, CancellationToken cancellationToken)
            => inner.ReadVersionsAsync(name, firstVersion, maxCount, cancellationToken);

        public Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long firstSequence, int maxCount, CancellationToken cancellationToken)
            => inner.ReadHistoryAsync(name, firstSequence, maxCount, cancellationToken);

        public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => inner.ListModelsAsync(cancellationToken);

        public Task<byte[]?> ReadArtifactAsync(string name, int version, CancellationToken cancellationToken) => inner.ReadArtifactAsync(name, version, cancellationToken);

        public async Task CommitAsync(ModelRegistryCommit commit, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _interleave, null) is { } other)
            {
                await other();
            }

            await inner.CommitAsync(commit, cancellationToken);
        }
    }
}
