using System.Text.RegularExpressions;
using SelfLearning.Hosting;
using SelfLearning.Samples.Triage;

namespace SelfLearning.Samples.Tests;

public sealed partial class TriageSampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("selflearning-sample-").FullName;

    [Fact]
    public async Task RunAsync_DefaultScenarioThenAgain_ShowsEveryEventDrawsEveryChartAndContinues()
    {
        var options = new SampleOptions
        {
            DatabasePath = Path.Combine(_directory, "sample.db"),
            ReportDirectory = Path.Combine(_directory, "report"),
        };
        var output = new StringWriter();
        var progress = new StringWriter();

        SampleRunResult first = await TriageSample.RunAsync(options, output, progress);

        string printed = output.ToString();
        printed.Should().Contain(CycleTable.Header);
        first.Rows.Select(r => r.Week).Should().Equal(Enumerable.Range(1, SampleOptions.DefaultWeeks));
        foreach (CycleRow row in first.Rows)
        {
            printed.Should().Contain(CycleTable.Line(row));
            progress.ToString().Should().Contain($"week {row.Week} (");
        }

        printed.TrimEnd().Should().EndWith("Report: " + first.ReportPath);
        first.Rows.Select(r => r.Outcome).Should().Contain(
            [nameof(SelfLearningCycleOutcome.FirstChampion), nameof(SelfLearningCycleOutcome.Promoted), nameof(SelfLearningCycleOutcome.CandidateRejected), nameof(SelfLearningCycleOutcome.RolledBack)]);
        first.Rows.Single(r => r.Week == ClinicTimeline.BrokenTrainerWeek).Outcome.Should().Be(nameof(SelfLearningCycleOutcome.CandidateRejected));
        first.Rows.Single(r => r.Week == ClinicTimeline.StaleLabFeedWeek).Outcome.Should().Be(nameof(SelfLearningCycleOutcome.RolledBack));
        CycleRow promoted = first.Rows.Single(r => r.Outcome == nameof(SelfLearningCycleOutcome.Promoted));
        promoted.EceAfter.Should().BeLessThan(promoted.EceBefore / 2, "the promoted challenger is better calibrated on that week's cases");
        first.Rows[0].EceAfter.Should().BeLessThan(first.Rows[0].EceBefore / 3, "the first calibrator fixes most of the host's over-confidence");

        File.Exists(first.ReportPath).Should().BeTrue();
        string[] charts = Charts(await File.ReadAllTextAsync(first.ReportPath));
        charts.Should().HaveCount((2 * 2) + 2, "two promotions with a before and an after diagram each, the weekly ECE and the versions chart");
        charts.Should().OnlyContain(svg => DataElement().Count(svg) > 0);

        SampleRunResult second = await TriageSample.RunAsync(options with { Weeks = 1 }, new StringWriter(), progress);

        second.Rows.Should().ContainSingle().Which.Week.Should().Be(SampleOptions.DefaultWeeks + 1);
        second.Versions.Take(first.Versions.Count).Select(v => (v.Version, v.ArtifactSha256, v.CreatedAt))
            .Should().Equal(first.Versions.Select(v => (v.Version, v.ArtifactSha256, v.CreatedAt)));
        second.Rows[0].ChampionBefore.Should().Be(first.Rows[^1].ComparedVersion, "the champion the roll back restored keeps serving after the restart");
        Charts(await File.ReadAllTextAsync(second.ReportPath)).Should().HaveCount(charts.Length, "the report covers both runs");
    }

    [Fact]
    public void Parse_Arguments_ReadsEveryOptionAndRejectsBadOnes()
    {
        SampleOptions options = SampleOptions.Parse(["--weeks", "3", "--seed", "9", "--db", "a.db", "--report", "out"]);
        options.Should().BeEquivalentTo(new SampleOptions { Weeks = 3, Seed = 9, SeedGiven = true, DatabasePath = "a.db", ReportDirectory = "out" });
        SampleOptions.Parse(["--help"]).ShowHelp.Should().BeTrue();
        SampleOptions.Usage.Should().Contain("--weeks N").And.Contain("--seed N").And.Contain("--db PATH").And.Contain("--report DIR").And.Contain("--help");

        ((Action)(() => SampleOptions.Parse(["--weeks", "0"]))).Should().Throw<ArgumentException>().WithMessage("*--weeks*");
        ((Action)(() => SampleOptions.Parse(["--seed"]))).Should().Throw<ArgumentException>().WithMessage("*--seed*needs a value*");
        ((Action)(() => SampleOptions.Parse(["--frobnicate"]))).Should().Throw<ArgumentException>().WithMessage("*--frobnicate*");
    }

    [Fact]
    public void Week_SameSeedAndWeek_IsIdenticalAndDifferentSeedsDiffer()
    {
        ClinicSimulator.Week(5, 3).Should().Equal(ClinicSimulator.Week(5, 3));
        ClinicSimulator.Week(5, 3).Select(c => c.Margin).Should().NotEqual(ClinicSimulator.Week(6, 3).Select(c => c.Margin));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Charts(string html) => [.. Svg().Matches(html).Select(m => m.Value)];

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();

    [GeneratedRegex("<(polyline|circle|rect) class=\"data\"")]
    private static partial Regex DataElement();
}
