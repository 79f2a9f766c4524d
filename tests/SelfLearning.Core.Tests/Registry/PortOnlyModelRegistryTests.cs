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
}
