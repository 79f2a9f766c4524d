using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SelfLearning.Cases;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Sqlite.Tests.Migrations;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Sqlite.Tests.Hosting;

/// <summary>
/// Issue 12, "what must hold": after the whole loop with a canary on SQLite, the loop's database holds none of the unit
/// ids, case ids, reviewer ids or personal data that went in. The dump is made with Microsoft.Data.Sqlite reading every
/// table of sqlite_master (<see cref="SqliteDatabaseFile.Dump"/>), so the test needs no sqlite3 CLI; the raw file bytes are
/// searched as well, which also covers free pages.
/// </summary>
public sealed partial class LoopDatabaseDumpTests
{
    private const string PlantedName = "Jonathan Quigley-Marsh";
    private const string PlantedSsn = "078-05-1120";
    private const string PlantedEmail = "jq.marsh@example.org";
    private const string PlantedMrn = "MRN-48213977";

    [Fact]
    public async Task Dump_AfterTheLoopWithACanary_HoldsNoUnitIdCaseIdReviewerIdOrPlantedPii()
    {
        using var directory = new TemporaryDirectory();
        string loop = directory.File("loop.db");
        string cases = directory.File("cases.db");
        using (var scenario = new LoopScenario(
            b => b.UseSqlite(loop),
            new LoopScenario.CaseStore(() => new SqliteCaseSource(cases), (source, day) => ((SqliteCaseSource)source).AddRangeAsync(day.Select(Plant).ToList()))))
        {
            await EndToEndScript.RunAsync(scenario, EndToEndScript.Restarts.DuringCanary);
        }

        SqliteConnection.ClearAllPools();
        string dump = SqliteDatabaseFile.Dump(loop);
        string bytes = Encoding.UTF8.GetString(File.ReadAllBytes(loop));

        // The canary exposed units; its conclusion released their rows, so the raw bytes (free pages included) are searched too.
        ((long)SqliteDatabaseFile.Scalar(loop, "SELECT sum(champion_units + challenger_units) FROM selflearning_experiments;")!).Should().BeGreaterThan(100);
        SqliteDatabaseFile.Dump(cases).Should().Contain(PlantedSsn, "the host's own case store does hold what was planted: the search would find it");
        foreach (string text in new[] { dump, bytes })
        {
            text.Should().NotContain("patient-", "unit ids are kept only as keyed fingerprints");
            text.Should().NotContain("reviewer-");
            CaseId().IsMatch(text).Should().BeFalse("case ids never leave the collector un-pseudonymised");
            text.Should().NotContain(PlantedName).And.NotContain(PlantedSsn).And.NotContain(PlantedEmail).And.NotContain(PlantedMrn);
        }
    }

    private static FeedbackCase Plant(FeedbackCase feedback) => feedback with
    {
        FreeText = $"Seen {PlantedName} (SSN {PlantedSsn}, {PlantedEmail}), chart {PlantedMrn}.",
        Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("patientName", PlantedName), new KeyValuePair<string, string>("mrn", PlantedMrn)]),
    };

    [GeneratedRegex(@"\bcase-\d")]
    private static partial Regex CaseId();
}
