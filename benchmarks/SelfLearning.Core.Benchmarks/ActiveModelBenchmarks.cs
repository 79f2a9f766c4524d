using BenchmarkDotNet.Attributes;
using SelfLearning.Registry;
using SelfLearning.Sqlite;

namespace SelfLearning.Benchmarks;

/// <summary>
/// What a host pays per request to find the model to serve: the active-model provider (one volatile read)
/// against asking a registry each time. The baseline is a plain volatile read of a field.
/// </summary>
[MemoryDiagnoser]
public class ActiveModelBenchmarks : IDisposable
{
    private const string Model = "triage";
    private InMemoryModelRegistry _memory = null!;
    private SqliteModelRegistry _sqlite = null!;
    private ActiveModelProvider<double[]> _provider = null!;
    private ActiveModel<double[]>? _field;
    private string _directory = null!;

    /// <summary>Registers and activates one version in each registry and loads it into a provider.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        byte[] artifact = new byte[64];
        var registration = new ModelRegistration { Name = Model, CreatedBy = "benchmark" };
        _memory = new InMemoryModelRegistry();
        await _memory.RegisterAsync(registration, artifact);
        await _memory.ActivateAsync(Model, 1, new RegistryChange("benchmark"));
        _provider = new ActiveModelProvider<double[]>(
            _memory, Model, (_, bytes) => new double[bytes.Length], new ActiveModelProviderOptions { PollInterval = Timeout.InfiniteTimeSpan });
        _field = await _provider.RefreshAsync();

        _directory = Path.Combine(Path.GetTempPath(), "selflearning-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _sqlite = new SqliteModelRegistry(Path.Combine(_directory, "registry.db"));
        await _sqlite.RegisterAsync(registration, artifact);
        await _sqlite.ActivateAsync(Model, 1, new RegistryChange("benchmark"));
    }

    /// <summary>Stops the provider and deletes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The floor: a volatile read of a field holding the same snapshot.</summary>
    [Benchmark(Baseline = true)]
    public ActiveModel<double[]>? VolatileField() => Volatile.Read(ref _field);

    /// <summary>The hot path hosts use.</summary>
    [Benchmark]
    public ActiveModel<double[]>? ProviderCurrent() => _provider.Current;

    /// <summary>The hot path with the try pattern.</summary>
    [Benchmark]
    public double[]? ProviderTryGetCurrent() => _provider.TryGetCurrent(out var model) ? model.Predictor : null;

    /// <summary>Asking the in-memory registry on every request instead.</summary>
    [Benchmark]
    public Task<ModelVersion?> InMemoryRegistryGetChampion() => _memory.GetChampionAsync(Model);

    /// <summary>Asking the SQLite registry on every request instead.</summary>
    [Benchmark]
    public Task<ModelVersion?> SqliteRegistryGetChampion() => _sqlite.GetChampionAsync(Model);
}
