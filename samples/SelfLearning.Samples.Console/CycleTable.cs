using System.Globalization;
using SelfLearning.Experiments;
using SelfLearning.Hosting;

namespace SelfLearning.Samples.Triage;

/// <summary>The per-cycle table and the progress line, in words a newcomer can read.</summary>
internal static class CycleTable
{
    public const string Header =
        "Week  Population   Cases  Champion  vs   ECE before→after   Brier before→after  Gate                                      Experiment          Action";

    public static void Write(TextWriter output, IReadOnlyList<CycleRow> rows)
    {
        output.WriteLine();
        output.WriteLine(Header);
        output.WriteLine(new string('-', Header.Length));
        foreach (CycleRow row in rows)
        {
            output.WriteLine(Line(row));
        }

        output.WriteLine("ECE and Brier: of the champion before the cycle → of the version it is compared with, on that week's reviewed cases.");
        output.WriteLine("* weeks marked with * are DEMONSTRATIONS that break something on purpose (a broken trainer, a stale lab feed).");
    }

    public static string Line(CycleRow row) => string.Create(
        CultureInfo.InvariantCulture,
        $"{row.Week,4}  {row.Population + (row.Week == ClinicTimeline.BrokenTrainerWeek ? "*" : ""),-11}  {row.Cases,5}  v{row.ChampionBefore,-7}  {(row.ComparedVersion is int v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "—"),-3}  {Pair(row.EceBefore, row.EceAfter),-17}  {Pair(row.BrierBefore, row.BrierAfter),-18}  {Clip(row.Gate, 40),-40}  {Clip(row.Experiment, 18),-18}  {row.Action}");

    public static string ProgressLine(CycleRow row, int done, int total) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{done}/{total}] week {row.Week} ({row.Population}): {row.Cases} reviewed cases, champion v{row.ChampionBefore} ECE {row.EceBefore:F3} → {row.Action}");

    public static string Gate(SelfLearningCycleResult result) => result.Verdict switch
    {
        null => "—",
        { Passed: true } => "passed",
        var verdict => "REFUSED: " + string.Join(", ", verdict.Failures.Select(f => ShortRule(f.Rule))),
    };

    public static string Experiment(SelfLearningCycleResult result) => result.Outcome switch
    {
        SelfLearningCycleOutcome.ChallengerStarted => "canary starts",
        _ when result.Decision is { } decision => decision.Action switch
        {
            DecisionAction.RampUp => "ramp up from " + Percent(decision.ChallengerShare),
            DecisionAction.Promote => "challenger won",
            DecisionAction.RollBack => "challenger lost",
            DecisionAction.StopInconclusive => "inconclusive",
            _ => "running at " + Percent(decision.ChallengerShare),
        },
        _ => "—",
    };

    public static string Action(SelfLearningCycleResult result, int championBefore, int championAfter, int week) => result.Outcome switch
    {
        SelfLearningCycleOutcome.FirstChampion => $"v{championAfter} becomes the first champion",
        SelfLearningCycleOutcome.Promoted => $"PROMOTED v{championAfter} (was v{championBefore})",
        SelfLearningCycleOutcome.RolledBack => $"ROLLED BACK v{championBefore} → v{championAfter}" + (week == ClinicTimeline.StaleLabFeedWeek ? " (stale-lab demo)" : ""),
        SelfLearningCycleOutcome.CandidateRejected => $"v{result.Version} refused by the gate" + (week == ClinicTimeline.BrokenTrainerWeek ? " (broken-trainer demo)" : ""),
        SelfLearningCycleOutcome.ChallengerStarted => $"v{result.Version} passed the gate; canary starts",
        SelfLearningCycleOutcome.ExperimentRampedUp => $"v{result.Version} gets more traffic",
        SelfLearningCycleOutcome.ExperimentContinued => $"v{result.Version} canary continues",
        SelfLearningCycleOutcome.ChallengerWithdrawn => $"v{result.Version} withdrawn",
        SelfLearningCycleOutcome.TrainingFailed => "training failed; champion keeps serving",
        _ => "waiting for more feedback",
    };

    private static string Pair(double before, double? after) =>
        after is double a
            ? string.Create(CultureInfo.InvariantCulture, $"{before:F4} → {a:F4}")
            : string.Create(CultureInfo.InvariantCulture, $"{before:F4}");

    private static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%");

    /// <summary>The gate's rule names without their suffixes: "brier-not-worse" → "brier".</summary>
    private static string ShortRule(string rule) =>
        rule.Replace("-relative-improvement", "", StringComparison.Ordinal).Replace("-not-worse", "", StringComparison.Ordinal).Replace("-not-lower", "", StringComparison.Ordinal);

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
