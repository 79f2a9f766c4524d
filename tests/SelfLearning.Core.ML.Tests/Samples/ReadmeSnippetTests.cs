using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Samples.MLNet;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests.Samples;

public sealed class ReadmeSnippetTests
{
    [Theory]
    [InlineData("README")]
    [InlineData("README:attributes")]
    [InlineData("README:serve")]
    public void Readme_BringYourMlNetModel_HoldsTheCompiledSnippetVerbatim(string marker)
    {
        string root = FindRoot();
        string[] source = File.ReadAllLines(Path.Combine(root, "samples", "SelfLearning.Samples.MLNet", "ReadmeSnippet.cs"));
        int begin = Array.FindIndex(source, l => l.Contains(marker + ":begin", StringComparison.Ordinal));
        int end = Array.FindIndex(source, l => l.Contains(marker + ":end", StringComparison.Ordinal));
        begin.Should().BeGreaterThanOrEqualTo(0);
        end.Should().BeGreaterThan(begin + 1);
        string snippet = string.Join('\n', source[(begin + 1)..end].Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));

        File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n").Should().Contain(snippet);
    }

    [Fact]
    public void ConfigureWithAttributes_RegistersTheReadyTypeReadingTheClinicAndTheNote()
    {
        var services = new ServiceCollection();

        var trainer = ReadmeSnippet.ConfigureWithAttributes(new ReadmeSnippet.HostApplicationBuilderLike(services), new InMemoryCaseSource());

        using var provider = services.BuildServiceProvider();
        provider.GetServices<ITrainer>().Should().Contain(trainer);
        trainer.Attributes.Select(a => (a.Name, a.Kind)).Should().Equal(("clinic", MlNetAttributeKind.Categorical), ("note", MlNetAttributeKind.Text));
    }

    [Fact]
    public void Configure_RegistersTheTrainerAndItsLoaderUnderOneKey()
    {
        var services = new ServiceCollection();

        var trainer = ReadmeSnippet.Configure(new ReadmeSnippet.HostApplicationBuilderLike(services), new InMemoryCaseSource());

        using var provider = services.BuildServiceProvider();
        provider.GetServices<ITrainer>().Should().Contain(trainer);
        provider.GetServices<IPredictorLoader>().Should().ContainSingle(l => l.ModelType == "no-show-fasttree");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SelfLearning.Core.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (SelfLearning.Core.sln) was not found above " + AppContext.BaseDirectory);
    }
}
