using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.Distributions;
using SelfLearning.Cases;

namespace SelfLearning.Samples.Triage;

/// <summary>One simulated patient: what the host model said and what the reviewing clinician decided.</summary>
/// <param name="Id">The case id.</param>
/// <param name="PatientId">The patient (the unit the canary routes on; pseudonymised before training).</param>
/// <param name="Age">The patient's age.</param>
/// <param name="Margin">The host's raw margin for "urgent".</param>
/// <param name="Confidence">The host's confidence in its own label, σ(|margin|), in [0.5, 1].</param>
/// <param name="PredictedUrgent">The host's label.</param>
/// <param name="ActuallyUrgent">The clinician's label.</param>
/// <param name="CreatedAt">When the host predicted.</param>
/// <param name="ValidatedAt">When the clinician reviewed it.</param>
/// <param name="ReviewerId">The reviewing clinician (pseudonymised before training).</param>
internal sealed record PatientCase(
    string Id,
    string PatientId,
    int Age,
    double Margin,
    double Confidence,
    bool PredictedUrgent,
    bool ActuallyUrgent,
    DateTimeOffset CreatedAt,
    DateTimeOffset ValidatedAt,
    string ReviewerId)
{
    public const string ModelName = "triage";

    /// <summary>Gets a value indicating whether the host's label was right: what the calibrator learns to predict.</summary>
    public bool HostRight => PredictedUrgent == ActuallyUrgent;

    /// <summary>The reviewed case as the host stores it for the loop: personal data included, the collector removes it.</summary>
    public FeedbackCase ToFeedback(string servedVersion) => new()
    {
        Id = Id,
        ModelName = ModelName,
        ModelVersion = servedVersion,
        Input = new CaseInput { RawScore = Margin },
        PredictedLabel = Label(PredictedUrgent),
        PredictedConfidence = Confidence,
        ValidatedLabel = Label(ActuallyUrgent),
        Status = ValidationStatus.Validated,
        ReviewerId = ReviewerId,
        ReviewerCertainty = 0.95,
        CreatedAt = CreatedAt,
        ValidatedAt = ValidatedAt,
        Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["patient_id"] = PatientId,
            ["age"] = Age.ToString(CultureInfo.InvariantCulture),
        }),
    };

    private static string Label(bool urgent) => urgent ? "urgent" : "routine";
}

/// <summary>
/// The synthetic clinic. Each patient has a true log-odds ℓ of being urgent; the host model's margin is a multiple
/// of it (3× for walk-ins: over-confident). A week's patients come from a generator seeded by (seed, week), so a
/// week is the same whether it runs in one process or after a restart.
/// </summary>
internal static class ClinicSimulator
{
    public static IReadOnlyList<PatientCase> Week(int seed, int week)
    {
        var random = new Random(unchecked((seed * 1_000_003) + week));
        ClinicPopulation population = ClinicTimeline.PopulationOf(week);
        DateTimeOffset start = ClinicTimeline.WeekStart(week);
        TimeSpan step = TimeSpan.FromDays(7) / ClinicTimeline.CasesPerWeek;
        var cases = new PatientCase[ClinicTimeline.CasesPerWeek];
        for (int i = 0; i < cases.Length; i++)
        {
            double spread = population == ClinicPopulation.Referrals ? 2.5 : 2.0;
            double logOdds = Normal.Sample(random, 0.0, spread);
            double margin = population switch
            {
                ClinicPopulation.WalkIn => 3.0 * logOdds,
                ClinicPopulation.Referrals => 0.75 * logOdds,
                _ => 3.0 * Normal.Sample(random, 0.0, spread), // stale inputs: a margin unrelated to this patient
            };
            bool urgent = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-logOdds));
            DateTimeOffset created = start + (step * i);
            string id = string.Create(CultureInfo.InvariantCulture, $"w{week:D3}-{i:D4}");
            cases[i] = new PatientCase(
                id,
                string.Create(CultureInfo.InvariantCulture, $"patient-{seed}-{week}-{i}"),
                18 + random.Next(75),
                margin,
                1.0 / (1.0 + Math.Exp(-Math.Abs(margin))),
                margin > 0,
                urgent,
                created,
                created + (step / 2),
                string.Create(CultureInfo.InvariantCulture, $"clinician-{random.Next(7)}"));
        }

        return cases;
    }
}
