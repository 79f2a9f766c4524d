using SelfLearning.Registry;

namespace SelfLearning.Tests.Registry;

public sealed class InMemoryModelRegistryTests : ModelRegistryContractTests
{
    protected override IModelRegistry CreateRegistry(TimeProvider timeProvider) => new InMemoryModelRegistry(timeProvider);

    protected override void CorruptStoredArtifact(IModelRegistry registry, string name, int version)
    {
        byte[] stored = ((InMemoryModelRegistry)registry).StoredArtifact(name, version);
        stored[stored.Length / 2] ^= 0x01;
    }

    [Fact]
    public async Task OpenArtifactAsync_CallerMutatesReturnedBytes_StoredCopyUnaffected()
    {
        var registry = new InMemoryModelRegistry(Clock);
        byte[] original = ArtifactFor(1);
        await registry.RegisterAsync(Registration(), original);
        original[0] ^= 0xFF;

        var read = await registry.OpenArtifactAsync(Model, 1);
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(read).Span[1] ^= 0xFF;

        (await registry.OpenArtifactAsync(Model, 1)).ToArray().Should().Equal(ArtifactFor(1));
    }
}
