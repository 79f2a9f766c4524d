using BenchmarkDotNet.Attributes;
using SelfLearning.Registry;
using SelfLearning.Sqlite;

namespace SelfLearning.Benchmarks;

/// <summary>
/// What one registry write and the reads the loop makes cost, in memory and on SQLite (issue 17: the rules moved into
/// <see cref="ModelRegistry"/> over a storage port, so a write reads the model, decides, and commits at that revision).
/// Each write changes something (the champion alternates between two versions; the tag alternates between two values).
/// </summary>
[MemoryDiagnoser]
public class ModelRegistryBenchmarks : IDisposable
{
    private const string Model = "triage";
    private InMemoryModelRegistry _memory = null!;
    private SqliteModelRegistry _sqlite = null!;
    private string _directory = null!;
    private int _memoryWrites;
    private int _sqliteWrites;

    /// <summary>Registers ten versions in each registry and activates version 1.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "selflearning-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _memory = new InMemoryModelRegistry();
        _sqlite = new SqliteModelRegistry(Path.Combine(_directory, "registry.db"));
        foreach (IModelRegistry registry in new IModelRegistry[] { _memory, _sqlite })
        {
            for (int i = 1; i <= 10; i++)
            {
                await registry.RegisterAsync(new ModelRegistration { Name = Model, CreatedBy = "benchmark" }, new byte[64]);
            }

            await registry.ActivateAsync(Model, 1, new RegistryChange("benchmark"));
        }
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Activating the other of two versions in memory: the previous champion is archived, two transitions appended.</summary>
    [Benchmark(Baseline = true)]
    public Task<ModelVersion> InMemoryActivate() => _memory.ActivateAsync(Model, 1 + (++_memoryWrites % 2), new RegistryChange("benchmark"));

    /// <summary>The same activation on SQLite (one durable transaction).</summary>
    [Benchmark]
    public Task<ModelVersion> SqliteActivate() => _sqlite.ActivateAsync(Model, 1 + (++_sqliteWrites % 2), new RegistryChange("benchmark"));

    /// <summary>Setting a tag on SQLite.</summary>
    [Benchmark]
    public Task<ModelVersion> SqliteSetTag() => _sqlite.SetTagAsync(Model, 3, "note", (++_sqliteWrites % 2).ToString(System.Globalization.CultureInfo.InvariantCulture), new RegistryChange("benchmark"));

    /// <summary>Reading the model with its ten versions from SQLite.</summary>
    [Benchmark]
    public Task<RegisteredModel> SqliteGetModel() => _sqlite.GetModelAsync(Model);

    /// <summary>Reading one version from SQLite.</summary>
    [Benchmark]
    public Task<ModelVersion> SqliteGet() => _sqlite.GetAsync(Model, 3);
}
