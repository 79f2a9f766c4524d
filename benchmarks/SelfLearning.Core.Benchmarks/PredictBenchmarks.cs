using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Calibration;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Serving a model on features (issue 13): <see cref="IPredictionService.Predict(string, string, CaseInput)"/> of a
/// 20-feature logistic champion with its calibrator, trained and registered by the loop itself, against the model's own
/// compute measured alone (the same registered <see cref="LogisticRegressionModel"/> and calibrator, called directly).
/// </summary>
[MemoryDiagnoser]
public class PredictBenchmarks : IDisposable
{
    private const string Model = "referral";
    private const int Features = 20;
    private const int Inputs = 1024;
    private ServiceProvider _services = null!;
    private IPredictionService _serving = null!;
    private LogisticRegressionModel _model = null!;
    private ICalibrator _calibrator = null!;
    private CaseInput[] _inputs = null!;
    private string[] _units = null!;
    private int _next;

    /// <summary>Trains the first champion through <see cref="ISelfLearningLoop.RunCycleAsync"/> and loads its registered artifact for the baseline.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(13);
        DateTimeOffset validated = TimeProvider.System.GetUtcNow().AddDays(-1);
        var cases = new List<FeedbackCase>();
        for (int i = 0; i < 4_000; i++)
        {
            double[] x = Draw(random);
            double margin = (1.5 * x[0]) - x[1] + (0.5 * x[2]) - (0.3 * x[7]);
            string label = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-margin)) ? "yes" : "no";
            cases.Add(new FeedbackCase
            {
                Id = "case-" + i.ToString(CultureInfo.InvariantCulture),
                ModelName = Model,
                ModelVersion = "host",
                PredictedLabel = label,
                PredictedConfidence = 0.9,
                ValidatedLabel = label,
                Input = new CaseInput { Features = ImmutableArray.Create(x) },
                Status = ValidationStatus.Validated,
                ReviewerId = "reviewer",
                ReviewerCertainty = 0.95,
                CreatedAt = validated,
                ValidatedAt = validated,
            });
        }

        var services = new ServiceCollection();
        services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(new InMemoryCaseSource(cases))
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(new byte[32]))
            .AddModel(Model, m => m.TrainerType = LogisticRegressionTrainer.Key);
        _services = services.BuildServiceProvider();
        var loop = _services.GetRequiredService<ISelfLearningLoop>();
        await loop.InitializeAsync();
        var first = await loop.RunCycleAsync(Model);
        if (first.Outcome != SelfLearningCycleOutcome.FirstChampion)
        {
            throw new InvalidOperationException("The benchmark's champion was not trained: " + first.Message);
        }

        ReadOnlyMemory<byte> artifact = await _services.GetRequiredService<IModelRegistry>().OpenArtifactAsync(Model, first.Version!.Value);
        PackagedArtifact package = PackagedArtifact.Read(artifact.Span, LogisticRegressionTrainer.Key);
        _model = LogisticRegressionModel.Load(package.Model);
        _calibrator = package.Calibrator ?? throw new InvalidOperationException("The champion was registered without its calibrator.");
        _serving = _services.GetRequiredService<IPredictionService>();
        _inputs = [.. Enumerable.Range(0, Inputs).Select(_ => new CaseInput { Features = ImmutableArray.Create(Draw(random)) })];
        _units = [.. Enumerable.Range(0, Inputs).Select(i => "patient-" + i.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>Releases the services.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The floor: the champion's logistic model and calibrator alone, deciding the label as serving does.</summary>
    [Benchmark(Baseline = true)]
    public double ModelAndCalibrator()
    {
        Span<double> probabilities = stackalloc double[2];
        _model.PredictProbabilities(_inputs[_next++ & (Inputs - 1)].Features.AsSpan(), probabilities);
        double second = _calibrator.Calibrate(probabilities[1]);
        return second >= 0.5 ? second : 1.0 - second;
    }

    /// <summary>The serving call: route the unit, check the input, predict, calibrate, return the typed prediction and its id.</summary>
    [Benchmark]
    public double Predict()
    {
        int i = _next++ & (Inputs - 1);
        return _serving.Predict(Model, _units[i], _inputs[i]).Probability;
    }

    private static double[] Draw(Random random)
    {
        var x = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            x[j] = (2.0 * random.NextDouble()) - 1.0;
        }

        return x;
    }
}
