using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Calibration;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Registry;

namespace SelfLearning.Benchmarks;

/// <summary>
/// What the serving call adds to the calibrator: <see cref="IPredictionService.Predict(string, string, double)"/> with a champion and a
/// running canary (volatile read, GrowthBook hash of the unit, calibrator, prediction id) against calling the
/// same isotonic calibrator directly.
/// </summary>
[MemoryDiagnoser]
public class ServingBenchmarks : IDisposable
{
    private const string Model = "triage";
    private ServiceProvider _services = null!;
    private IPredictionService _serving = null!;
    private ICalibrator _calibrator = null!;
    private string[] _units = null!;
    private int _next;

    /// <summary>Registers a champion and a challenger (isotonic calibrators) and starts a 25% canary.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(3);
        var scores = new double[10_000];
        var outcomes = new bool[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = random.NextDouble();
            outcomes[i] = random.NextDouble() < scores[i] * scores[i];
        }

        string json = CalibratorSerializer.Serialize(IsotonicCalibrator.Fit(scores, outcomes));
        byte[] artifact = Encoding.UTF8.GetBytes(json);

        // Called through the interface, as the loop loads it from the registry.
        _calibrator = CalibratorSerializer.Deserialize(json);
        var services = new ServiceCollection();
        services.AddSelfLearning(o => o.RunInBackground = false).AddCaseSource(new Cases.InMemoryCaseSource()).AddTrainer<Training.CalibrationTrainer>().AddModel(Model, _ => { });
        _services = services.BuildServiceProvider();
        var registry = _services.GetRequiredService<IModelRegistry>();
        var registration = new ModelRegistration { Name = Model, CreatedBy = "benchmark" };
        await registry.RegisterAsync(registration, artifact);
        await registry.ActivateAsync(Model, 1, new RegistryChange("benchmark"));
        await registry.RegisterAsync(registration, artifact);
        var experiment = Experiment.Start(
            new ExperimentDefinition
            {
                Key = "triage.v2",
                ModelName = Model,
                ChampionVersion = 1,
                ChallengerVersion = 2,
                Ramp = new CanaryRamp([0.25], 100, TimeSpan.FromDays(1)),
            },
            TimeProvider.System.GetUtcNow());
        await _services.GetRequiredService<IExperimentStore>().SaveExperimentAsync(experiment);
        await _services.GetRequiredService<ISelfLearningLoop>().InitializeAsync();
        _serving = _services.GetRequiredService<IPredictionService>();
        _units = Enumerable.Range(0, 1024).Select(i => "patient-" + i).ToArray();
    }

    /// <summary>Releases the services.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The floor: the champion's calibrator alone.</summary>
    [Benchmark(Baseline = true)]
    public double Calibrator() => _calibrator.Calibrate(0.73);

    /// <summary>The serving call: route the unit, calibrate, return the prediction and its id.</summary>
    [Benchmark]
    public double Predict() => _serving.Predict(Model, _units[_next++ & 1023], 0.73).Probability;
}
