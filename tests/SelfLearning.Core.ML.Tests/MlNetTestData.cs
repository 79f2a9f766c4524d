using System.Collections.Immutable;
using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests;

/// <summary>Synthetic tabular data: the same generators as the core's feature-model tests, as cases and as tables.</summary>
internal static class MlNetTestData
{
    public const string Model = "mlnet";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly string PseudonymizationKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static IEnumerable<FeedbackCase> Binary(int count, int seed, double flip = 0.0) => Generate(count, seed, (x, r) =>
    {
        bool yes = 1.0 / (1.0 + Math.Exp(-((2.0 * x[0]) - (1.5 * x[1]) + x[2]))) > r.NextDouble();
        return (r.NextDouble() < flip ? !yes : yes) ? "yes" : "no";
    });

    public static IEnumerable<FeedbackCase> Regression(int count, int seed) => Generate(count, seed, (x, r) =>
        ((2.0 * x[0]) - x[1] + (x[2] * x[2]) + 0.5 + (0.3 * Noise(r))).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Three well separated blobs; the label is the blob.</summary>
    public static IEnumerable<FeedbackCase> Blobs(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int blob = i % 3;
            double[] x = [.. Enumerable.Range(0, 4).Select(j => (j == blob ? 6.0 : 0.0) + (0.5 * Noise(random)))];
            yield return Case(seed, i, x, blob.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static TrainingData ClassificationData(int seed, int rows = 600) =>
        new(Classification(Binary(rows, seed)), Classification(Binary(rows / 2, seed + 1000)));

    public static TrainingData RegressionData(int seed, int rows = 600) =>
        new(RegressionTable(Regression(rows, seed)), RegressionTable(Regression(rows / 2, seed + 1000)));

    public static TrainingData ClusteringData(int seed, int rows = 600) =>
        new(TrainingTable.ForClustering(Matrix(Blobs(rows, seed))), TrainingTable.ForClustering(Matrix(Blobs(rows / 2, seed + 1000))));

    public static TrainingTable Classification(IEnumerable<FeedbackCase> cases)
    {
        var list = cases.ToList();
        return TrainingTable.ForClassification(Matrix(list), list.Select(c => c.ValidatedLabel!).ToArray());
    }

    public static TrainingTable RegressionTable(IEnumerable<FeedbackCase> cases)
    {
        var list = cases.ToList();
        return TrainingTable.ForRegression(Matrix(list), list.Select(c => double.Parse(c.ValidatedLabel!, CultureInfo.InvariantCulture)).ToArray());
    }

    public static double[,] Matrix(IEnumerable<FeedbackCase> cases)
    {
        var list = cases.ToList();
        int d = list[0].Input.Features.Length;
        var m = new double[list.Count, d];
        for (int i = 0; i < list.Count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                m[i, j] = list[i].Input.Features[j];
            }
        }

        return m;
    }

    private static IEnumerable<FeedbackCase> Generate(int count, int seed, Func<double[], Random, string> label)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double[] x = [Noise(random), Noise(random), Noise(random), Noise(random)];
            yield return Case(seed, i, x, label(x, random));
        }
    }

    /// <summary>
    /// Binary cases whose label depends ONLY on the attribute named <paramref name="signal"/>: "clinic" (A: 85% yes,
    /// B: 50%, C: 15%) or "note" (a text that names a symptom for most yes cases and a routine visit for most no cases).
    /// The features are pure noise; both attributes are present on every case, one of them noise as well. Cases to collect
    /// need a seed of 8 or less: they are validated <paramref name="seed"/> × 10,000 s after <see cref="Start"/>, and the
    /// loop hosts' clock reads one day after it.
    /// </summary>
    public static IEnumerable<FeedbackCase> Attributed(int count, int seed, string signal)
    {
        string[] filler = ["patient", "reported", "today", "visit", "after", "week", "with", "and", "morning", "called"];
        string[] symptoms = ["fever", "bleeding", "pain"];
        string[] routine = ["checkup", "routine", "renewal"];
        string[] clinics = ["A", "B", "C"];
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double[] x = [Noise(random), Noise(random), Noise(random), Noise(random)];
            string clinic = clinics[random.Next(3)];
            bool yes = signal == "clinic"
                ? random.NextDouble() < clinic switch { "A" => 0.85, "B" => 0.5, _ => 0.15 }
                : random.NextDouble() < 0.5;
            bool symptomatic = signal == "note" ? random.NextDouble() < (yes ? 0.85 : 0.15) : random.NextDouble() < 0.5;
            var words = Enumerable.Range(0, 4).Select(_ => filler[random.Next(filler.Length)]).ToList();
            words.Insert(random.Next(words.Count + 1), (symptomatic ? symptoms : routine)[random.Next(3)]);
            yield return Case(seed, i, x, yes ? "yes" : "no") with
            {
                Attributes = ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal, [new("clinic", clinic), new("note", string.Join(' ', words))]),
            };
        }
    }

    /// <summary>A classification table of <paramref name="cases"/> with their (raw) attributes.</summary>
    public static TrainingTable ClassificationWithAttributes(IEnumerable<FeedbackCase> cases)
    {
        var list = cases.ToList();
        return Classification(list).WithAttributes([.. list.Select(c => (IReadOnlyDictionary<string, string>)c.Attributes)]);
    }

    /// <summary>The area under the ROC curve of <paramref name="scores"/> for the positive <paramref name="labels"/> (ties count half).</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        double pairs = 0.0, wins = 0.0;
        for (int i = 0; i < scores.Count; i++)
        {
            for (int j = 0; j < scores.Count; j++)
            {
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
                }
            }
        }

        return wins / pairs;
    }

    private static FeedbackCase Case(int seed, int i, double[] x, string label) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"case-{seed}-{i}"),
        ModelName = Model,
        ModelVersion = "host-1",
        PredictedLabel = label,
        PredictedConfidence = 0.9,
        ValidatedLabel = label,
        Input = new CaseInput { Features = ImmutableArray.Create(x) },
        Status = ValidationStatus.Validated,
        ReviewerId = "reviewer-" + (i % 5).ToString(CultureInfo.InvariantCulture),
        ReviewerCertainty = 0.95,
        CreatedAt = Start.AddSeconds(i + (seed * 10_000)),
        ValidatedAt = Start.AddSeconds(i + (seed * 10_000)),
    };

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Noise(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
