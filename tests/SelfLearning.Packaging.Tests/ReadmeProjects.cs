using System.Xml.Linq;

namespace SelfLearning.Packaging.Tests;

/// <summary>
/// README code blocks as a newcomer uses them: a marked block read out of the README, and a fresh console project
/// outside the solution with the block's <c>dotnet add package</c> lines and its <c>Program.cs</c> pasted verbatim,
/// restored from the packed packages plus the machine's usual package source.
/// </summary>
internal static class ReadmeProjects
{
    /// <summary>The fenced block of <paramref name="language"/> between <c>&lt;!-- name:start --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>.</summary>
    public static string Block(string readme, string name, string language)
    {
        string start = $"<!-- {name}:start -->", end = $"<!-- {name}:end -->";
        int a = readme.IndexOf(start, StringComparison.Ordinal);
        int b = readme.IndexOf(end, StringComparison.Ordinal);
        a.Should().BeGreaterThanOrEqualTo(0, $"README.md must mark the block with {start}");
        b.Should().BeGreaterThan(a, $"README.md must close the block with {end}");
        string marked = readme[(a + start.Length)..b].Trim();
        string fence = "```" + language + "\n";
        marked.Should().StartWith(fence).And.EndWith("\n```");
        return marked[fence.Length..^3];
    }

    /// <summary>
    /// Creates the console project <paramref name="name"/> in the packages' scratch folder with <paramref name="program"/>
    /// as its <c>Program.cs</c> and the packages of <paramref name="addPackageLines"/> (each <c>dotnet add package &lt;id&gt;</c>).
    /// </summary>
    /// <returns>The project's folder.</returns>
    public static async Task<string> CreateConsoleProjectAsync(PackedPackages packages, string name, string program, IReadOnlyList<string> addPackageLines)
    {
        addPackageLines.Should().NotBeEmpty().And.OnlyContain(l => l.StartsWith("dotnet add package ", StringComparison.Ordinal));
        string app = Path.Combine(packages.Scratch, name);
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(packages.Scratch, "nuget.config"), NuGetConfig(packages));
        (await DotNet.RunAsync(app, TimeSpan.FromMinutes(2), null, "new", "console", "--name", name, "--output", ".", "--no-restore"))
            .ShouldSucceed("dotnet new console");
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);

        foreach (string line in addPackageLines)
        {
            // The README's line as written, pinned to this run's packages (ours) or to the version the repository
            // builds with (others), so the run restores nothing it has not restored before except our packages.
            string id = line["dotnet add package ".Length..].Trim();
            string version = id.StartsWith("SelfLearning.", StringComparison.Ordinal) ? packages.Version : CentralVersion(id);
            (await DotNet.RunAsync(app, TimeSpan.FromMinutes(2), null, "add", "package", id, "--version", version, "--no-restore"))
                .ShouldSucceed(line);
        }

        return app;
    }

    /// <summary>The lines of a <c>bash</c> block of <c>dotnet add package</c> commands.</summary>
    public static string[] Lines(string block) => block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string NuGetConfig(PackedPackages packages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config><add key="globalPackagesFolder" value="{Path.Combine(packages.Scratch, "packages")}" /></config>
          <packageSources><add key="selflearning-packtest" value="{packages.Feed}" /></packageSources>
          <fallbackPackageFolders><add key="machine" value="{MachinePackageFolder()}" /></fallbackPackageFolders>
          <packageSourceMapping>
            <packageSource key="selflearning-packtest"><package pattern="SelfLearning.*" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>The machine's package cache, read (never written) as a fallback folder so known packages need no download.</summary>
    private static string MachinePackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string CentralVersion(string id) =>
        XDocument.Parse(Repository.ReadFile("Directory.Packages.props")).Descendants("PackageVersion")
            .SingleOrDefault(e => (string?)e.Attribute("Include") == id)?.Attribute("Version")?.Value
        ?? throw new InvalidOperationException($"The README adds {id}, which Directory.Packages.props does not pin.");
}
