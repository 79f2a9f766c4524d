namespace SelfLearning.Packaging.Tests;

/// <summary>
/// The README's SelfLearning.Core.Quartz example as a host's developer meets it: its <c>dotnet add package</c> lines and
/// its <c>Program.cs</c> pasted into a fresh console project (<see cref="ReadmeProjects"/>) that builds. It is built, not
/// run: it needs the host's clustered Quartz database, which the Quartz package's own tests start.
/// </summary>
[Collection(PackedPackagesGroup.Name)]
public sealed class QuartzReadmeTests(PackedPackages packages)
{
    [Fact]
    public async Task Readme_QuartzExamplePastedIntoAFreshConsoleProject_Builds()
    {
        string readme = Repository.ReadFile("README.md");
        string program = ReadmeProjects.Block(readme, "quartz:program", "csharp");
        string[] addPackageLines = ReadmeProjects.Lines(ReadmeProjects.Block(readme, "quartz:packages", "bash"));
        addPackageLines.Should().Contain(["dotnet add package SelfLearning.Core.Quartz", "dotnet add package Quartz"]);
        program.Should().Contain(".UseQuartz(").And.Contain("AddQuartzHostedService(");

        string app = await ReadmeProjects.CreateConsoleProjectAsync(packages, "QuartzReadme", program, addPackageLines);

        (await DotNet.RunAsync(app, TimeSpan.FromMinutes(4), null, "build", "-warnaserror")).ShouldSucceed("dotnet build of the pasted Quartz example");
    }
}
