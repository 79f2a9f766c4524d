namespace SelfLearning.Samples.Triage;

/// <summary>What the clinic looks like in a simulated week.</summary>
internal enum ClinicPopulation
{
    /// <summary>Walk-in patients: the host's margin is 3× the true log-odds, so it is badly over-confident.</summary>
    WalkIn,

    /// <summary>After the shift: GP referrals, clearer-cut cases, on which the host's margin is only 0.75× the true log-odds.</summary>
    Referrals,

    /// <summary>DEMONSTRATION: a stale lab feed makes the host's margin unrelated to the patient for one week.</summary>
    StaleLabFeed,
}

/// <summary>
/// The scenario of the default run, in absolute weeks (so a continued run picks up the same story). The two
/// DEMONSTRATION knobs break things on purpose to show the safety nets; a real host has neither.
/// </summary>
internal static class ClinicTimeline
{
    /// <summary>Reviewed cases a week.</summary>
    public const int CasesPerWeek = 2_000;

    /// <summary>The population shifts half-way through the default ten weeks: referrals from week 6 on.</summary>
    public const int ShiftWeek = 6;

    /// <summary>DEMONSTRATION: in this week the host plugs in a broken trainer, and the quality gate must refuse its candidate.</summary>
    public const int BrokenTrainerWeek = 4;

    /// <summary>DEMONSTRATION: in this week the lab feed is stale, the live champion degrades, and the loop must roll it back.</summary>
    public const int StaleLabFeedWeek = 10;

    /// <summary>The first simulated Monday.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public static ClinicPopulation PopulationOf(int week) => week switch
    {
        StaleLabFeedWeek => ClinicPopulation.StaleLabFeed,
        >= ShiftWeek => ClinicPopulation.Referrals,
        _ => ClinicPopulation.WalkIn,
    };

    public static DateTimeOffset WeekStart(int week) => Start + (TimeSpan.FromDays(7) * (week - 1));

    public static string Describe(ClinicPopulation population) => population switch
    {
        ClinicPopulation.WalkIn => "walk-in",
        ClinicPopulation.Referrals => "referrals",
        _ => "stale-labs*",
    };
}
