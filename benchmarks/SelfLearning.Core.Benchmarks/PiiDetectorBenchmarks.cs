using BenchmarkDotNet.Attributes;
using SelfLearning.Privacy;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Scanning free text for personal data with every built-in recognizer: a batch of short clinical
/// notes holding identifiers, and a batch of notes holding none (where the pre-checks let most
/// patterns be skipped).
/// </summary>
[MemoryDiagnoser]
public class PiiDetectorBenchmarks
{
    private static readonly string[] NotesWithPii =
    [
        "Pt seen 03/14/2024 at 10:30am; callback (415) 555-0132, email jane.doe@example.com.",
        "SSN 078-05-1123 on file; card 4111-1111-1111-1111 declined, IBAN GB82 WEST 1234 5698 7654 32.",
        "Imaging at http://10.1.2.3:8080/emr/study/778812 from host 192.168.10.4 (MAC 00:1A:2B:3C:4D:5E).",
        "Referred by Dr. Smith on March 3, 2024; see https://portal.clinic.org/patients/123 for results.",
        "Wallet 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ, NHS number 401 023 2137, passport A12803456.",
        "Taxpayer ITIN 911-70-1234; driver license H12234567; bank account 945456787654 at routing desk.",
    ];

    private static readonly string[] NotesWithoutPii =
    [
        "Patient reports mild headache, no fever. Advised rest and fluids.",
        "BP 120/80, HR 72, SpO2 98% on room air. Plan: follow up in two weeks.",
        "Reviewed the triage suggestion; agree with the model, low acuity.",
        "Wound healing well, sutures intact. Continue current dressing regimen.",
        "No known drug allergies. Tolerating diet. Ambulating independently.",
        "Discussed lab results with patient; potassium 4.1, sodium 139, both normal.",
    ];

    private readonly PiiDetector _detector = new();

    /// <summary>Notes that each hold one or more identifiers.</summary>
    /// <returns>The number of spans found.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = 6)]
    public int DetectNotesWithPii() => DetectAll(NotesWithPii);

    /// <summary>Notes without personal data.</summary>
    /// <returns>The number of spans found.</returns>
    [Benchmark(OperationsPerInvoke = 6)]
    public int DetectNotesWithoutPii() => DetectAll(NotesWithoutPii);

    private int DetectAll(string[] notes)
    {
        int found = 0;
        foreach (string note in notes)
        {
            found += _detector.Detect(note).Count;
        }

        return found;
    }
}
