using BenchmarkDotNet.Attributes;
using SelfLearning.Registry;
using SelfLearning.Sqlite;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Reading a model that has many versions from SQLite (issue 17's flat costs: ≤ 1 ms for the first page at 10,000
/// versions): the whole model (<see cref="IModelRegistry.GetModelAsync"/>, every version) against the newest page of 50
/// with the version count and champion (<see cref="IModelRegistry.GetVersionsPageAsync"/>, what the dashboard's model
/// list and a paged versions view read) and the champion alone. The baseline is the whole model.
/// </summary>
[MemoryDiagnoser]
public class ModelRegistryPagingBenchmarks : IDisposable
{
    private const string Model = "triage";
    private SqliteModelRegistry _sqlite = null!;
    private string _directory = null!;

    /// <summary>Gets or sets how many versions the model has.</summary>
    [Params(10, 10_000)]
    public int Versions { get; set; }

    /// <summary>Registers the versions (64-byte artifacts) and makes version 1 the champion, far from the newest page.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "selflearning-paging-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _sqlite = new SqliteModelRegistry(Path.Combine(_directory, "registry.db"));
        for (int i = 1; i <= Versions; i++)
        {
            await _sqlite.RegisterAsync(new ModelRegistration { Name = Model, CreatedBy = "benchmark" }, new byte[64]);
        }

        await _sqlite.ActivateAsync(Model, 1, new RegistryChange("benchmark"));
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Every version of the model.</summary>
    /// <returns>The model.</returns>
    [Benchmark(Baseline = true)]
    public Task<RegisteredModel> GetModel() => _sqlite.GetModelAsync(Model);

    /// <summary>The newest 50 versions with the count and the champion.</summary>
    /// <returns>The page.</returns>
    [Benchmark]
    public Task<ModelVersionsPage> GetFirstPage() => _sqlite.GetVersionsPageAsync(Model);

    /// <summary>The champion alone.</summary>
    /// <returns>The champion.</returns>
    [Benchmark]
    public Task<ModelVersion?> GetChampion() => _sqlite.GetChampionAsync(Model);
}
