using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SelfLearning.Packaging.Tests;

/// <summary>
/// The README's quickstart as a newcomer meets it: a fresh console project outside the solution, the README's
/// <c>dotnet add package</c> lines, its <c>Program.cs</c> pasted verbatim, restored from the packed packages plus the
/// machine's usual package source, built and run.
/// </summary>
[Collection(PackedPackagesGroup.Name)]
public sealed partial class QuickstartTests(PackedPackages packages)
{
    [Fact]
    public async Task Readme_QuickstartPastedIntoAFreshConsoleProject_TrainsAFirstChampionAndServesACalibratedPrediction()
    {
        string readme = Repository.ReadFile("README.md");
        string program = Block(readme, "quickstart:program", "csharp");
        string[] addPackageLines = [.. Block(readme, "quickstart:packages", "bash")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        addPackageLines.Should().NotBeEmpty().And.OnlyContain(l => l.StartsWith("dotnet add package ", StringComparison.Ordinal));

        string app = Path.Combine(packages.Scratch, "quickstart");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(packages.Scratch, "nuget.config"), NuGetConfig());
        (await DotNet.RunAsync(app, TimeSpan.FromMinutes(2), null, "new", "console", "--name", "Quickstart", "--output", ".", "--no-restore"))
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

        var run = (await DotNet.RunAsync(app, TimeSpan.FromMinutes(6), new Dictionary<string, string>
        {
            // A fixed key: the split, and so the fitted calibrator, are the same every run.
            ["SELFLEARNING_PSEUDONYMIZATION_KEY"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("quickstart"u8)),
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        }, "run")).ShouldSucceed("dotnet run of the pasted quickstart");

        run.Output.Should().Contain("cycle: FirstChampion: ", run.Output);
        Match served = CalibratedLine().Match(run.Output);
        served.Success.Should().BeTrue(run.Output);
        double probability = double.Parse(served.Groups["p"].Value, CultureInfo.InvariantCulture);
        probability.Should().BeInRange(0.70, 0.82, "the host's 0.93 is right 0.2 + 0.6 × 0.93 = 76% of the time");
        served.Groups["v"].Value.Should().Be("1");
    }

    [Fact]
    public void Readme_QuickstartBlocks_AreMarkedAndComplete()
    {
        string readme = Repository.ReadFile("README.md");
        string program = Block(readme, "quickstart:program", "csharp");
        program.Should().Contain("using Microsoft.Extensions.Hosting;").And.Contain("new InMemoryCaseSource()")
            .And.Contain("RunInBackground = false", "the explicit cycle must not race the background service");
        Block(readme, "quickstart:packages", "bash").Should().Contain("dotnet add package SelfLearning.Core")
            .And.Contain("dotnet add package Microsoft.Extensions.Hosting");
    }

    /// <summary>The fenced block of <paramref name="language"/> between <c>&lt;!-- name:start --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>.</summary>
    private static string Block(string readme, string name, string language)
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

    private string NuGetConfig() => $"""
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

    [GeneratedRegex(@"host confidence 0\.93 -> calibrated (?<p>[0-9.]+) \(model version (?<v>\d+)\)")]
    private static partial Regex CalibratedLine();
}
