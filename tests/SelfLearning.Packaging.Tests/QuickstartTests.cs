using System.Globalization;
using System.Text.RegularExpressions;

namespace SelfLearning.Packaging.Tests;

/// <summary>
/// The README's quickstart as a newcomer meets it: a fresh console project outside the solution, the README's
/// <c>dotnet add package</c> lines, its <c>Program.cs</c> pasted verbatim, restored from the packed packages plus the
/// machine's usual package source (<see cref="ReadmeProjects"/>), built and run.
/// </summary>
[Collection(PackedPackagesGroup.Name)]
public sealed partial class QuickstartTests(PackedPackages packages)
{
    [Fact]
    public async Task Readme_QuickstartPastedIntoAFreshConsoleProject_TrainsAFirstChampionAndServesACalibratedPrediction()
    {
        string readme = Repository.ReadFile("README.md");
        string program = ReadmeProjects.Block(readme, "quickstart:program", "csharp");
        string[] addPackageLines = ReadmeProjects.Lines(ReadmeProjects.Block(readme, "quickstart:packages", "bash"));

        string app = await ReadmeProjects.CreateConsoleProjectAsync(packages, "quickstart", program, addPackageLines);

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
        string program = ReadmeProjects.Block(readme, "quickstart:program", "csharp");
        program.Should().Contain("using Microsoft.Extensions.Hosting;").And.Contain("new InMemoryCaseSource()")
            .And.Contain("RunInBackground = false", "the explicit cycle must not race the background service");
        ReadmeProjects.Block(readme, "quickstart:packages", "bash").Should().Contain("dotnet add package SelfLearning.Core")
            .And.Contain("dotnet add package Microsoft.Extensions.Hosting");
    }

    [GeneratedRegex(@"host confidence 0\.93 -> calibrated (?<p>[0-9.]+) \(model version (?<v>\d+)\)")]
    private static partial Regex CalibratedLine();
}
