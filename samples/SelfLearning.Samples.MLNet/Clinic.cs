using System.Collections.Immutable;
using System.Globalization;
using SelfLearning.Cases;

namespace SelfLearning.Samples.MLNet;

/// <summary>
/// A clinic's appointments, simulated: four features per appointment (booking lead time, earlier no-shows, distance,
/// age, all standardised) and whether the patient did not show up. From week 5 the population shifts: the reminder
/// service stops, so lead time matters much more. In week 9 a feed bug sends the distance in the wrong unit to the
/// live model only (the reviewers' records stay right).
/// </summary>
internal static class Clinic
{
    public const string Model = "no-show";
    public const int AppointmentsPerWeek = 1_500;
    public const int ShiftWeek = 5;
    public const int BrokenFeedWeek = 9;
    public static readonly DateTimeOffset FirstMonday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset WeekStart(int week) => FirstMonday.AddDays(7 * (week - 1));

    public static string Population(int week) => week < ShiftWeek ? "reminders" : "no reminders";

    /// <summary>One week of appointments: the features the model sees live, and the reviewed case.</summary>
    public static IReadOnlyList<(double[] Live, FeedbackCase Reviewed)> Week(int week, int seed)
    {
        var random = new Random((seed * 1_000) + week);
        var result = new List<(double[], FeedbackCase)>(AppointmentsPerWeek);
        for (int i = 0; i < AppointmentsPerWeek; i++)
        {
            double lead = Normal(random), history = Normal(random), distance = Normal(random), age = Normal(random);
            double margin = week < ShiftWeek
                ? (0.6 * lead) + (1.4 * history) + (0.9 * distance) - (0.6 * age) - 0.4
                : (2.0 * lead) + (1.4 * history) + (0.9 * distance) - (0.6 * age) - 0.2;
            bool noShow = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-margin));
            double[] features = [lead, history, distance, age];
            double[] live = week == BrokenFeedWeek ? [lead, history, -3.0 * distance, age] : features;
            DateTimeOffset at = WeekStart(week).AddMinutes(i * 6);
            string id = string.Create(CultureInfo.InvariantCulture, $"w{week}-a{i}");
            string label = noShow ? "no-show" : "attended";
            result.Add((live, new FeedbackCase
            {
                Id = id,
                ModelName = Model,
                ModelVersion = "live",
                PredictedLabel = label,
                PredictedConfidence = 0.5,
                ValidatedLabel = label,
                Input = new CaseInput { Features = ImmutableArray.Create(features) },
                Status = ValidationStatus.Validated,
                ReviewerId = "reviewer-" + (i % 7).ToString(CultureInfo.InvariantCulture),
                ReviewerCertainty = 0.95,
                CreatedAt = at,
                ValidatedAt = at.AddDays(2),
            }));
        }

        return result;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
