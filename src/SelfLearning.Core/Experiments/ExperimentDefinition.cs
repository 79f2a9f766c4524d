namespace SelfLearning.Experiments;

/// <summary>
/// What an experiment tests and how: the model and its two versions, the seed, the canary ramp,
/// the limits and the metrics. Validated when the experiment starts (<see cref="Experiment.Start"/>).
/// </summary>
public sealed record ExperimentDefinition
{
    /// <summary>Gets the unique experiment key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the name of the model whose versions compete.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the registry version number of the version currently in production (see <see cref="Registry.ModelVersion.Version"/>).</summary>
    public required int ChampionVersion { get; init; }

    /// <summary>Gets the registry version number of the candidate version.</summary>
    public required int ChallengerVersion { get; init; }

    /// <summary>Gets the hashing seed.</summary>
    /// <value>The default value is <see langword="null"/>: the <see cref="Key"/> is the seed, as in GrowthBook.</value>
    public string? Seed { get; init; }

    /// <summary>Gets the GrowthBook hashing scheme, 1 or 2.</summary>
    /// <value>The default value is 2.</value>
    public int HashVersion { get; init; } = ExperimentsConstants.DefaultHashVersion;

    /// <summary>Gets whether the challenger is served (live) or only scored beside the champion (shadow).</summary>
    /// <value>The default value is <see cref="ExperimentMode.Live"/>.</value>
    public ExperimentMode Mode { get; init; } = ExperimentMode.Live;

    /// <summary>Gets the canary ramp.</summary>
    /// <value>The default value is <see cref="CanaryRamp.Default"/> (5% → 25% → 50%).</value>
    public CanaryRamp Ramp { get; init; } = CanaryRamp.Default;

    /// <summary>Gets the longest the experiment may run before it is stopped as inconclusive.</summary>
    /// <value>The default value is 28 days.</value>
    public TimeSpan MaximumDuration { get; init; } = ExperimentsConstants.DefaultMaximumDuration;

    /// <summary>Gets the metric that decides promotion.</summary>
    /// <value>The default value is a success rate named "success".</value>
    public ExperimentMetric PrimaryMetric { get; init; } = ExperimentMetric.SuccessRate("success");

    /// <summary>Gets the metrics that must not regress; a significant regression of any halts the experiment.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ExperimentMetric> Guardrails { get; init; } = [];

    /// <summary>
    /// Gets the sample size per arm the experiment is planned for (see <see cref="SampleSizePlanner"/>);
    /// the sequential test's mixture is tuned to be tightest there.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public long PlannedSampleSizePerArm { get; init; } = ExperimentsConstants.DefaultPlannedSampleSizePerArm;

    /// <summary>Gets the namespace slice that makes this experiment exclusive with others, if any.</summary>
    /// <value>The default value is <see langword="null"/>: no namespace.</value>
    public ExperimentNamespace? Namespace { get; init; }
}
