namespace SelfLearning.Packaging.Tests;

/// <summary>
/// Packs every project under src/ once per test run, with no build (the test project's references built them), into
/// a temporary folder feed, under a version no other run uses so no package cache can serve a stale copy.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "selflearning-packaging-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Gets the folder feed holding the .nupkg and .snupkg files.</summary>
    public string Feed => Path.Combine(_root, "feed");

    /// <summary>Gets a scratch folder outside the repository, removed after the run.</summary>
    public string Scratch => Path.Combine(_root, "scratch");

    /// <summary>Gets the version every package was packed under.</summary>
    public string Version { get; } = "0.1.0-packtest." + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Gets the package ids that were packed.</summary>
    public IReadOnlyList<string> PackageIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Scratch);
        foreach (string project in Repository.PackageProjects)
        {
            (await DotNet.RunAsync(Repository.Root, TimeSpan.FromMinutes(3), null,
                "pack", project, "--no-build", "-c", Repository.Configuration, "-o", Feed, "-p:Version=" + Version))
                .ShouldSucceed("dotnet pack " + Path.GetFileName(project));
        }

        PackageIds = [.. Repository.PackageProjects.Select(Repository.PackageId)];
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished child process; the temp folder is cleaned by the system.
        }

        return Task.CompletedTask;
    }

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");
}

/// <summary>The tests that share one set of packed packages.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesGroup : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}
