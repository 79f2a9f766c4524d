using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// The loop as a host builds it, through the public API only: <c>AddSelfLearning</c>, an in-memory case source, the
/// built-in calibration trainer, a <see cref="FakeTimeProvider"/>; cycles through <see cref="ISelfLearningLoop"/>.
/// </summary>
internal sealed class HostedLoop : IDisposable
{
    public const string Model = "triage";

    /// <summary>32 fixed bytes: a test key, never a real one.</summary>
    public static readonly string Key = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private readonly ServiceProvider _services;

    public HostedLoop(DateTimeOffset now, Action<SelfLearningModelOptions>? model = null, Action<CaseCollectorOptions>? cases = null)
    {
        Clock = new FakeTimeProvider(now);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(Source)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Key)
            .AddTrainer<CalibrationTrainer>()
            .AddModel(Model, m =>
            {
                m.TrainerType = CalibrationTrainer.Key;
                m.MinimumCases = 200;
                m.NewCasesThreshold = 200;
                m.Gate.BootstrapIterations = 100;
                model?.Invoke(m);
            });
        if (cases is not null)
        {
            builder.ConfigureCases(cases);
        }

        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryCaseSource Source { get; } = new();

    public ISelfLearningLoop Loop => _services.GetRequiredService<ISelfLearningLoop>();

    public IModelRegistry Registry => _services.GetRequiredService<IModelRegistry>();

    /// <summary>A case as a triage host keeps it: "urgent" predicted with <paramref name="confidence"/> (its logit as raw score), confirmed or corrected.</summary>
    public static FeedbackCase Case(string id, double confidence, bool right, DateTimeOffset validatedAt, string reviewer = "reviewer-1", CaseInput? input = null) => new()
    {
        Id = id,
        ModelName = Model,
        ModelVersion = "host-1",
        PredictedLabel = "urgent",
        Input = input ?? new CaseInput { RawScore = Math.Log(confidence / (1.0 - confidence)) },
        PredictedConfidence = confidence,
        ValidatedLabel = right ? "urgent" : "routine",
        Status = ValidationStatus.Validated,
        ReviewerId = reviewer,
        ReviewerCertainty = 0.95,
        CreatedAt = validatedAt.AddMinutes(-5),
        ValidatedAt = validatedAt,
    };

    /// <summary><paramref name="count"/> overconfident cases (right with probability 0.2 + 0.6 s), validated one a minute up to <paramref name="until"/>.</summary>
    public static List<FeedbackCase> Valid(int count, int seed, DateTimeOffset until, string prefix = "case-", Func<double, CaseInput?>? input = null)
    {
        var random = new Random(seed);
        var cases = new List<FeedbackCase>(count);
        for (int i = 0; i < count; i++)
        {
            double confidence = 0.5 + (0.49 * random.NextDouble());
            bool right = random.NextDouble() < 0.2 + (0.6 * confidence);
            cases.Add(Case(prefix + i.ToString(CultureInfo.InvariantCulture), confidence, right, until.AddMinutes(-count + i), input: input?.Invoke(confidence)));
        }

        return cases;
    }

    /// <summary>How many of <paramref name="ids"/> fall in the held-out (test) split under the loop's default splits and the test key.</summary>
    public static int HeldOut(IEnumerable<string> ids)
    {
        var anonymizer = new CaseAnonymizer(new CaseAnonymizerOptions { PseudonymizationKey = Key });
        var defaults = new CaseCollectorOptions();
        var splitter = new DatasetSplitter(defaults.TrainFraction, defaults.ValidationFraction, defaults.TestFraction);
        return ids.Distinct(StringComparer.Ordinal).Count(id => splitter.Assign(anonymizer.PseudonymizeCaseId(id)) == DatasetSplit.Test);
    }

    /// <summary>The held-out size and stored watermark of the newest registered version.</summary>
    public async Task<(double HoldoutSize, DateTimeOffset? Watermark)> NewestVersionAsync()
    {
        var model = await Registry.GetModelAsync(Model);
        var newest = model.Versions.MaxBy(v => v.Version)!;
        return (newest.Lineage.HoldoutSize!.Value, newest.Lineage.TrainingWatermark);
    }

    public void Dispose() => _services.Dispose();
}
