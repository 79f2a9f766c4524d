using System.Reflection;

namespace SelfLearning.Packaging.Tests;

/// <summary>Where the repository and its packable projects are, seen from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the build configuration these tests (and so the packages under src/) were built in.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>Gets every project under src/: each is a package.</summary>
    public static IReadOnlyList<string> PackageProjects { get; } =
        [.. Directory.GetDirectories(Path.Combine(Root, "src"))
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Order(StringComparer.Ordinal)];

    public static string PackageId(string project) => Path.GetFileNameWithoutExtension(project);

    public static string ReadFile(params string[] relative) => File.ReadAllText(Path.Combine([Root, .. relative]));

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SelfLearning.Core.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException($"No SelfLearning.Core.sln above {AppContext.BaseDirectory}.");
    }
}
