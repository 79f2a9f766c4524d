using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Samples.MLNet;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests.Samples;

public sealed class ReadmeSnippetTests
{
    [Fact]
    public void Readme_BringYourMlNetModel_HoldsTheCompiledSnippetVerbatim()
    {
        string root = FindRoot();
        string[] source = File.ReadAllLines(Path.Combine(root, "samples", "SelfLearning.Samples.MLNet", "ReadmeSnippet.cs"));
        int begin = Array.FindIndex(source, l => l.Contains("README:begin", StringComparison.Ordinal));
        int end = Array.FindIndex(source, l => l.Contains("README:end", StringComparison.Ordinal));
        string snippet = string.Join('\n', source[(begin + 1)..end].Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));

        File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n").Should().Contain(snippet);
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
