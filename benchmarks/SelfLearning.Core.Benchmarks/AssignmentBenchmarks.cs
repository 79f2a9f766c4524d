using BenchmarkDotNet.Attributes;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using SelfLearning.Experiments;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Routing one unit to champion or challenger (5% canary: 95% of traffic served the champion), side
/// by side with Microsoft.FeatureManagement's variant allocation of the same 95/5 split by percentile
/// of the targeting user id.
/// </summary>
[MemoryDiagnoser]
public class AssignmentBenchmarks
{
    private const int UnitCount = 1024;
    private const string FeatureName = "triage-model";

    private readonly AbTestRouter _router = new();
    private string[] _units = [];
    private TargetingContext[] _contexts = [];
    private Experiment _experiment = null!;
    private FeatureManager _featureManager = null!;

    /// <summary>Builds the unit ids, the experiment at its 5% step and the feature manager.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _units = Enumerable.Range(0, UnitCount).Select(i => "patient-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _contexts = _units.Select(u => new TargetingContext { UserId = u }).ToArray();
        _experiment = Experiment.Start(
            new ExperimentDefinition { Key = "triage-v2", ModelName = "triage", ChampionVersion = 1, ChallengerVersion = 2 },
            new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero));

        var definition = new FeatureDefinition
        {
            Name = FeatureName,
            EnabledFor = [new FeatureFilterConfiguration { Name = "AlwaysOn" }],
            Variants =
            [
                new VariantDefinition { Name = "1.0.0" },
                new VariantDefinition { Name = "2.0.0" },
            ],
            Allocation = new Allocation
            {
                DefaultWhenEnabled = "1.0.0",
                Seed = "triage-v2",
                Percentile =
                [
                    new PercentileAllocation { Variant = "1.0.0", From = 0, To = 95 },
                    new PercentileAllocation { Variant = "2.0.0", From = 95, To = 100 },
                ],
            },
        };
        _featureManager = new FeatureManager(new SingleFeatureProvider(definition), new FeatureManagementOptions());
    }

    /// <summary>SelfLearning's GrowthBook-compatible router.</summary>
    /// <returns>The number of units served the challenger.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = UnitCount)]
    public int Assign()
    {
        int challengers = 0;
        foreach (string unit in _units)
        {
            if (_router.Assign(_experiment, unit).Arm == ExperimentArm.Challenger)
            {
                challengers++;
            }
        }

        return challengers;
    }

    /// <summary>Microsoft.FeatureManagement's percentile variant allocation for the same split.</summary>
    /// <returns>The number of units served the challenger.</returns>
    [Benchmark(OperationsPerInvoke = UnitCount)]
    public int FeatureManagementVariant()
    {
        int challengers = 0;
        foreach (TargetingContext context in _contexts)
        {
            ValueTask<Variant> pending = _featureManager.GetVariantAsync(FeatureName, context, CancellationToken.None);
            Variant variant = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (variant.Name == "2.0.0")
            {
                challengers++;
            }
        }

        return challengers;
    }

    private sealed class SingleFeatureProvider(FeatureDefinition definition) : IFeatureDefinitionProvider
    {
        private readonly Task<FeatureDefinition> _definition = Task.FromResult(definition);

        public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName) => _definition;

        public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
        {
            yield return await _definition.ConfigureAwait(false);
        }
    }
}
