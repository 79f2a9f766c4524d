using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SelfLearning.Calibration;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Registry;
using SelfLearning.Sqlite;
using SelfLearning.Sqlite.Hosting;

namespace SelfLearning.Samples.Triage;

/// <summary>What one run of the sample did.</summary>
/// <param name="Rows">The cycles of this run, one per simulated week.</param>
/// <param name="ReportPath">The absolute path of the HTML report.</param>
/// <param name="Versions">Every registered version after the run.</param>
internal sealed record SampleRunResult(IReadOnlyList<CycleRow> Rows, string ReportPath, IReadOnlyList<ModelVersion> Versions);

/// <summary>
/// The clinic-triage sample: a generic host running the self-learning loop on an embedded SQLite database, fed
/// with simulated reviewer feedback week by week on a simulated clock. Factored out of <c>Program</c> so the
/// sample's test runs it in-process.
/// </summary>
internal static class TriageSample
{
    public const string Model = PatientCase.ModelName;

    public static async Task<SampleRunResult> RunAsync(SampleOptions options, TextWriter output, TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string database = Path.GetFullPath(options.DatabasePath);
        string statePath = SampleState.PathFor(database);
        SampleState state = LoadState(database, statePath, options, progress);
        int firstWeek = state.LastWeek + 1;
        var clock = new SimulatedClock(ClinicTimeline.WeekStart(firstWeek));
        var trainer = new BrokenTrainerSwitch();
        var cases = new SqliteCaseSource(database, clock);

        using IHost host = BuildHost(database, clock, cases, trainer);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var loop = host.Services.GetRequiredService<ISelfLearningLoop>();
        var predictions = host.Services.GetRequiredService<IPredictionService>();
        var registry = host.Services.GetRequiredService<IModelRegistry>();
        var calibrators = new CalibratorCache(registry);
        var rows = new List<CycleRow>();

        for (int week = firstWeek; week < firstWeek + options.Weeks; week++)
        {
            IReadOnlyList<PatientCase> patients = ClinicSimulator.Week(state.Seed, week);
            var feedback = new List<FeedbackCase>(patients.Count);
            foreach (PatientCase patient in patients)
            {
                clock.Advance(patient.CreatedAt - clock.GetUtcNow());
                Prediction prediction = predictions.Predict(Model, patient.PatientId, patient.Confidence);
                await predictions.RecordOutcomeAsync(prediction, patient.HostRight, cancellationToken).ConfigureAwait(false);
                feedback.Add(patient.ToFeedback(prediction.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await cases.AddRangeAsync(feedback, cancellationToken).ConfigureAwait(false);
            clock.Advance(ClinicTimeline.WeekStart(week + 1) - clock.GetUtcNow());

            int championBefore = (await registry.GetChampionAsync(Model, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            trainer.Broken = week == ClinicTimeline.BrokenTrainerWeek;
            SelfLearningCycleResult result = await loop.RunCycleAsync(Model, cancellationToken).ConfigureAwait(false);
            trainer.Broken = false;
            int championAfter = (await registry.GetChampionAsync(Model, cancellationToken).ConfigureAwait(false))?.Version ?? 0;

            CycleRow row = await DescribeAsync(week, patients, championBefore, championAfter, result, calibrators, cancellationToken).ConfigureAwait(false);
            rows.Add(row);
            state.Rows.Add(row);
            if (championAfter != championBefore && result.Outcome is SelfLearningCycleOutcome.FirstChampion or SelfLearningCycleOutcome.Promoted)
            {
                state.Promotions.Add(await PromotionAsync(week, patients, championBefore, championAfter, result.Outcome, calibrators, cancellationToken).ConfigureAwait(false));
            }

            state = state with { LastWeek = week };
            state.Save(statePath);
            await progress.WriteLineAsync(CycleTable.ProgressLine(row, week - firstWeek + 1, options.Weeks)).ConfigureAwait(false);
        }

        IReadOnlyList<ModelVersion> versions = (await registry.GetModelAsync(Model, cancellationToken).ConfigureAwait(false)).Versions;
        await host.StopAsync(cancellationToken).ConfigureAwait(false);

        CycleTable.Write(output, rows);
        string report = ReportWriter.Write(options.ReportDirectory, database, state, versions);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Database: {database} (run again to continue from week {state.LastWeek + 1})").ConfigureAwait(false);
        await output.WriteLineAsync($"Report: {report}").ConfigureAwait(false);
        return new SampleRunResult(rows, report, versions);
    }

    private static IHost BuildHost(string database, SimulatedClock clock, SqliteCaseSource cases, BrokenTrainerSwitch trainer)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Error); // the table reports what the loop did; errors still show, on stderr
        builder.Services.AddSingleton<TimeProvider>(clock);

        // The sample drives one cycle per simulated week itself; a real host leaves RunInBackground on and the
        // background service runs a cycle every CycleInterval.
        builder.Services.AddSelfLearning(o => o.RunInBackground = false)
            .UseSqlite(database)
            .AddCaseSource(cases)
            .ConfigureCases(o =>
            {
                o.TrainFraction = 0.5;
                o.ValidationFraction = 0.2;
                o.TestFraction = 0.3;
            })
            .ConfigureAnonymizer(o =>
            {
                // A fixed, public sample key (32 bytes, Base64); a real host loads its key from a secret store
                // (the (IServiceProvider, options) overload).
                o.PseudonymizationKey = Convert.ToBase64String("selflearning-sample-public-key!!"u8);
                o.IdentifyingAttributes = ["patient_id"];
                o.AgeAttributes = ["age"];
            })
            .AddTrainer(trainer)
            .AddModel(Model, m =>
            {
                m.MinimumCases = 1_500;
                m.NewCasesThreshold = 5_500;
                m.RampShares = [0.1, 0.5];
                m.MinimumSamplesPerArm = 100;
                m.MinimumStepDuration = TimeSpan.FromDays(1);
                m.Gate.BootstrapIterations = 200;
            })
            .ConfigureMonitoring(o => o.WindowSize = ClinicTimeline.CasesPerWeek);
        return builder.Build();
    }

    private static SampleState LoadState(string database, string statePath, SampleOptions options, TextWriter progress)
    {
        SampleState? stored = SampleState.Load(statePath);
        if (stored is null)
        {
            if (File.Exists(database))
            {
                throw new InvalidOperationException($"'{database}' exists but its state file '{statePath}' does not; delete the database or pass another --db.");
            }

            progress.WriteLine($"New database {database}: simulating weeks 1–{options.Weeks} with seed {options.Seed}.");
            return new SampleState { Seed = options.Seed, LastWeek = 0 };
        }

        if (!File.Exists(database))
        {
            throw new InvalidOperationException($"The state file '{statePath}' exists but its database '{database}' does not; delete the state file or pass another --db.");
        }

        if (options.SeedGiven && options.Seed != stored.Seed)
        {
            progress.WriteLine($"Note: the database was started with seed {stored.Seed}; continuing with it (--seed {options.Seed} applies to a new database).");
        }

        progress.WriteLine($"Continuing {database} from week {stored.LastWeek + 1} (seed {stored.Seed}): weeks {stored.LastWeek + 1}–{stored.LastWeek + options.Weeks}.");
        return stored;
    }

    private static async Task<CycleRow> DescribeAsync(
        int week, IReadOnlyList<PatientCase> patients, int championBefore, int championAfter, SelfLearningCycleResult result, CalibratorCache calibrators, CancellationToken cancellationToken)
    {
        int? compared = championAfter != championBefore ? championAfter : result.Version is int v && v != championBefore ? v : null;
        bool[] outcomes = patients.Select(p => p.HostRight).ToArray();
        double[] before = await calibrators.ProbabilitiesAsync(championBefore, patients, cancellationToken).ConfigureAwait(false);
        double[]? after = compared is int c ? await calibrators.ProbabilitiesAsync(c, patients, cancellationToken).ConfigureAwait(false) : null;
        return new CycleRow
        {
            Week = week,
            Population = ClinicTimeline.Describe(ClinicTimeline.PopulationOf(week)),
            Cases = patients.Count,
            ChampionBefore = championBefore,
            ComparedVersion = compared,
            Outcome = result.Outcome.ToString(),
            EceBefore = CalibrationMetrics.ExpectedCalibrationError(before, outcomes),
            EceAfter = after is null ? null : CalibrationMetrics.ExpectedCalibrationError(after, outcomes),
            BrierBefore = CalibrationMetrics.BrierScore(before, outcomes),
            BrierAfter = after is null ? null : CalibrationMetrics.BrierScore(after, outcomes),
            Gate = CycleTable.Gate(result),
            Experiment = CycleTable.Experiment(result),
            Action = CycleTable.Action(result, championBefore, championAfter, week),
            Message = result.Message,
        };
    }

    private static async Task<PromotionRecord> PromotionAsync(
        int week, IReadOnlyList<PatientCase> patients, int from, int to, SelfLearningCycleOutcome outcome, CalibratorCache calibrators, CancellationToken cancellationToken)
    {
        bool[] outcomes = patients.Select(p => p.HostRight).ToArray();
        double[] before = await calibrators.ProbabilitiesAsync(from, patients, cancellationToken).ConfigureAwait(false);
        double[] after = await calibrators.ProbabilitiesAsync(to, patients, cancellationToken).ConfigureAwait(false);
        return new PromotionRecord
        {
            Week = week,
            FromVersion = from,
            ToVersion = to,
            Kind = outcome == SelfLearningCycleOutcome.FirstChampion ? "first champion" : "promoted after canary",
            Before = Curve(before, outcomes),
            After = Curve(after, outcomes),
            EceBefore = CalibrationMetrics.ExpectedCalibrationError(before, outcomes),
            EceAfter = CalibrationMetrics.ExpectedCalibrationError(after, outcomes),
        };
    }

    private static ReliabilityPoint[] Curve(double[] probability, bool[] outcomes) =>
        [.. CalibrationMetrics.ReliabilityCurve(probability, outcomes, bins: 10).Select(b => new ReliabilityPoint(b.MeanConfidence, b.ObservedFrequency, b.Count))];

    /// <summary>Each version's calibrator, loaded once from the registry (version 0 is the host's raw confidence).</summary>
    private sealed class CalibratorCache(IModelRegistry registry)
    {
        private readonly Dictionary<int, ICalibrator> _calibrators = [];

        public async Task<double[]> ProbabilitiesAsync(int version, IReadOnlyList<PatientCase> patients, CancellationToken cancellationToken)
        {
            double[] scores = patients.Select(p => p.Confidence).ToArray();
            if (version == 0)
            {
                return scores;
            }

            if (!_calibrators.TryGetValue(version, out ICalibrator? calibrator))
            {
                ReadOnlyMemory<byte> artifact = await registry.OpenArtifactAsync(Model, version, cancellationToken).ConfigureAwait(false);
                calibrator = CalibratorSerializer.Deserialize(Encoding.UTF8.GetString(artifact.Span));
                _calibrators[version] = calibrator;
            }

            var probability = new double[scores.Length];
            calibrator.Calibrate(scores, probability);
            return probability;
        }
    }
}
