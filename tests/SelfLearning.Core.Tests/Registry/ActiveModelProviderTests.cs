using SelfLearning.Registry;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Registry;

public sealed class ActiveModelProviderTests
{
    private const string Model = "triage";
    private static readonly ActiveModelProviderOptions NoPolling = new() { PollInterval = Timeout.InfiniteTimeSpan };
    private readonly ManualTimeProvider _clock = new();
    private readonly InMemoryModelRegistry _registry;

    public ActiveModelProviderTests()
    {
        _registry = new InMemoryModelRegistry(_clock);
    }

    /// <summary>The "predictor" is the artifact's first byte, so a test can tell which artifact was loaded.</summary>
    private static int Load(ModelVersion version, ReadOnlyMemory<byte> artifact) => artifact.Span[0];

    private async Task RegisterAsync(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await _registry.RegisterAsync(new ModelRegistration { Name = Model, CreatedBy = "trainer" }, new byte[] { (byte)(10 * i), 1, 2, 3 });
        }
    }

    [Fact]
    public async Task RefreshAsync_Champion_LoadsItsVerifiedArtifact()
    {
        await RegisterAsync(2);
        await _registry.ActivateAsync(Model, 2, new RegistryChange("ops"));
        using var provider = new ActiveModelProvider<int>(_registry, Model, Load, NoPolling, _clock);
        provider.Current.Should().BeNull();

        var loaded = await provider.RefreshAsync();

        loaded!.Version.Version.Should().Be(2);
        loaded.Predictor.Should().Be(20);
        provider.TryGetCurrent(out var current).Should().BeTrue();
        current.Should().BeSameAs(loaded);
    }

    [Fact]
    public async Task Activate_InProcess_IsVisibleBeforeTheCallReturns()
    {
        await RegisterAsync(3);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        using var provider = new ActiveModelProvider<int>(_registry, Model, Load, NoPolling, _clock);
        await provider.RefreshAsync();
        var events = new List<(int?, int?)>();
        provider.Changed += (_, e) => events.Add((e.Previous?.Version.Version, e.Current?.Version.Version));

        await _registry.ActivateAsync(Model, 3, new RegistryChange("ops"));
        int afterActivate = provider.Current!.Predictor;
        await _registry.RollBackAsync(Model, new RegistryChange("ops"));
        int afterRollBack = provider.Current!.Predictor;
        await _registry.DeactivateAsync(Model, new RegistryChange("ops"));

        afterActivate.Should().Be(30);
        afterRollBack.Should().Be(10);
        provider.Current.Should().BeNull();
        events.Should().Equal((1, 3), (3, 1), (1, null));
    }

    [Fact]
    public async Task NonChampionChanges_DoNotReload()
    {
        await RegisterAsync(2);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        int loads = 0;
        using var provider = new ActiveModelProvider<int>(_registry, Model, (v, a) => { loads++; return Load(v, a); }, NoPolling, _clock);
        await provider.RefreshAsync();

        await _registry.SetTagAsync(Model, 1, "k", "v", new RegistryChange("ops"));
        await _registry.SetStageAsync(Model, 2, ModelStage.Challenger, new RegistryChange("ops"));
        await provider.RefreshAsync();

        loads.Should().Be(1);
    }

    [Fact]
    public async Task LoaderFails_KeepsServingThePreviousChampion()
    {
        await RegisterAsync(2);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        using var provider = new ActiveModelProvider<int>(
            _registry, Model, (v, a) => v.Version == 2 ? throw new InvalidDataException("bad model") : Load(v, a), NoPolling, _clock);
        await provider.RefreshAsync();

        await _registry.ActivateAsync(Model, 2, new RegistryChange("ops"));

        provider.Current!.Version.Version.Should().Be(1);
        await provider.Invoking(p => p.RefreshAsync()).Should().ThrowAsync<InvalidDataException>();
        provider.Current!.Predictor.Should().Be(10);
    }

    [Fact]
    public async Task TamperedArtifact_IsNeverLoaded()
    {
        await RegisterAsync(2);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        int loads = 0;
        using var provider = new ActiveModelProvider<int>(_registry, Model, (v, a) => { loads++; return Load(v, a); }, NoPolling, _clock);
        await provider.RefreshAsync();
        _registry.StoredArtifact(Model, 2)[0] ^= 0x80;

        await _registry.ActivateAsync(Model, 2, new RegistryChange("ops"));

        provider.Current!.Version.Version.Should().Be(1);
        loads.Should().Be(1);
        await provider.Invoking(p => p.RefreshAsync()).Should().ThrowAsync<ArtifactIntegrityException>();
    }

    [Fact]
    public async Task Dispose_StopsFollowingTheRegistry()
    {
        await RegisterAsync(2);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        var provider = new ActiveModelProvider<int>(_registry, Model, Load, new ActiveModelProviderOptions { PollInterval = TimeSpan.FromSeconds(5) }, _clock);
        await provider.RefreshAsync();

        provider.Dispose();
        await _registry.ActivateAsync(Model, 2, new RegistryChange("ops"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        provider.Current!.Version.Version.Should().Be(1);
        await provider.Invoking(p => p.RefreshAsync()).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_NonPositivePollInterval_Throws(int seconds)
    {
        var act = () => new ActiveModelProvider<int>(_registry, Model, Load, new ActiveModelProviderOptions { PollInterval = TimeSpan.FromSeconds(seconds) }, _clock);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_BadArguments_NameThem()
    {
        FluentActions.Invoking(() => new ActiveModelProvider<int>(null!, Model, Load)).Should().Throw<ArgumentNullException>().WithParameterName("registry");
        FluentActions.Invoking(() => new ActiveModelProvider<int>(_registry, "a/b", Load)).Should().Throw<ArgumentException>().WithParameterName("modelName");
        FluentActions.Invoking(() => new ActiveModelProvider<int>(_registry, Model, null!)).Should().Throw<ArgumentNullException>().WithParameterName("loader");
    }

    [Fact]
    public async Task Concurrency_SwapsWhileReading_EveryReadSeesALoadedChampionMatchingItsPredictor()
    {
        await RegisterAsync(4);
        await _registry.ActivateAsync(Model, 1, new RegistryChange("ops"));
        using var provider = new ActiveModelProvider<int>(_registry, Model, Load, NoPolling, _clock);
        await provider.RefreshAsync();
        using var stop = new CancellationTokenSource();
        using var readersStarted = new CountdownEvent(4);
        int mismatches = 0;
        long reads = 0;
        long swapsSeen = 0;

        // The readers read until the writer is done, so they run through all its swaps; each counts the swaps it saw.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                long local = 0, seen = 0;
                int last = provider.Current!.Version.Version;
                readersStarted.Signal();
                while (!stop.IsCancellationRequested)
                {
                    var current = provider.Current;
                    if (current is null || current.Predictor != 10 * current.Version.Version)
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                    else if (current.Version.Version != last)
                    {
                        seen++;
                        last = current.Version.Version;
                    }

                    local++;
                }

                Interlocked.Add(ref reads, local);
                Interlocked.Add(ref swapsSeen, seen);
            },
            TaskCreationOptions.LongRunning)).ToArray();
        readersStarted.Wait();

        var random = new Random(7);
        int activations = 0;
        for (int i = 0; i < 300; i++)
        {
            int next = random.Next(1, 5);
            if (next != provider.Current!.Version.Version)
            {
                activations++;
            }

            await _registry.ActivateAsync(Model, next, new RegistryChange("ops"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        await provider.RefreshAsync();

        mismatches.Should().Be(0);
        activations.Should().BeGreaterThan(100, "the writer really swapped the champion");
        swapsSeen.Should().BeGreaterThan(0, "the readers ran while the champion was being swapped (reads: {0})", reads);
        provider.Current!.Version.Version.Should().Be((await _registry.GetChampionAsync(Model))!.Version);
    }
}
