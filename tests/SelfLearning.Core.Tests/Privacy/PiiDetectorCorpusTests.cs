using System.Globalization;
using SelfLearning.Privacy;
using Xunit.Abstractions;

namespace SelfLearning.Tests.Privacy;

/// <summary>
/// Measures precision and recall per entity on the hand-written corpus (Data/pii-corpus.json, made by
/// Data/make_pii_corpus.py). A detection counts only if its span is exactly the expected one. The
/// figures are stated in docs/privacy.md; the floors below hold them from sliding back.
/// </summary>
public sealed class PiiDetectorCorpusTests(ITestOutputHelper output)
{
    private const double MinimumPrecision = 0.95;
    private const double MinimumRecall = 0.95;

    [Fact]
    public void Detect_Corpus_EveryEntityMeetsPrecisionAndRecallFloors()
    {
        var detector = new PiiDetector();
        var tally = new SortedDictionary<string, (int Tp, int Fp, int Fn, int Texts)>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (PiiCase c in PiiTestData.Load("pii-corpus.json"))
        {
            var found = detector.Detect(c.Text).Where(s => s.EntityType == c.Entity).Select(s => (s.Start, s.End)).ToHashSet();
            var expected = c.ExpectedSpans.ToHashSet();
            int tp = found.Intersect(expected).Count();
            int fp = found.Count - tp;
            int fn = expected.Count - tp;
            if (fp > 0 || fn > 0)
            {
                misses.Add($"{c.Entity} {c.Kind}: '{c.Text}' found [{string.Join(", ", found.Select(s => c.Text[s.Start..s.End]))}]");
            }

            var t = tally.GetValueOrDefault(c.Entity);
            tally[c.Entity] = (t.Tp + tp, t.Fp + fp, t.Fn + fn, t.Texts + 1);
        }

        output.WriteLine("| entity | texts | TP | FP | FN | precision | recall |");
        foreach (var (entity, t) in tally)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {entity} | {t.Texts} | {t.Tp} | {t.Fp} | {t.Fn} | {Precision(t):F3} | {Recall(t):F3} |"));
        }

        misses.ForEach(output.WriteLine);
        tally.Should().HaveCount(9);
        foreach (var (entity, t) in tally)
        {
            Precision(t).Should().BeGreaterThanOrEqualTo(MinimumPrecision, $"{entity} precision; misses: {string.Join("; ", misses)}");
            Recall(t).Should().BeGreaterThanOrEqualTo(MinimumRecall, $"{entity} recall; misses: {string.Join("; ", misses)}");
        }
    }

    private static double Precision((int Tp, int Fp, int Fn, int Texts) t) => t.Tp + t.Fp == 0 ? 1.0 : (double)t.Tp / (t.Tp + t.Fp);

    private static double Recall((int Tp, int Fp, int Fn, int Texts) t) => t.Tp + t.Fn == 0 ? 1.0 : (double)t.Tp / (t.Tp + t.Fn);
}
