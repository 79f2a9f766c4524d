using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// A champion/challenger experiment at one moment: its validated <see cref="Definition"/>, its
/// status and its ramp step. Immutable; <see cref="RampUp"/> and <see cref="Conclude"/> return a
/// new instance, so a router can keep reading one while a decision replaces it.
/// </summary>
/// <remarks>
/// The split follows GrowthBook's coverage scheme with two equal weights: with challenger share
/// <c>s</c> the coverage is <c>2s</c>, the champion arm owns buckets [0, s) and the challenger arm
/// [0.5, 0.5 + s). Range starts never move, so ramping up only brings new units in: a unit in
/// either arm stays in it, the arms stay equal at every step (no Simpson's paradox when pooling
/// steps), and units outside both ranges are served the champion without being counted.
/// </remarks>
public sealed class Experiment
{
    private Experiment(
        ExperimentDefinition definition,
        ExperimentStatus status,
        int rampStep,
        DateTimeOffset startedAt,
        DateTimeOffset stepStartedAt,
        DateTimeOffset? endedAt)
    {
        Definition = definition;
        Status = status;
        RampStep = rampStep;
        StartedAt = startedAt;
        StepStartedAt = stepStartedAt;
        EndedAt = endedAt;
        Seed = definition.Seed ?? definition.Key;
        SeedState = BucketHash.SeedState(Seed);
        BucketRange[] ranges = BucketHash.GetBucketRanges(2, 2.0 * ChallengerShare, ReadOnlySpan<double>.Empty);
        ChampionRange = ranges[(int)ExperimentArm.Champion];
        ChallengerRange = ranges[(int)ExperimentArm.Challenger];
    }

    /// <summary>Gets what the experiment tests.</summary>
    public ExperimentDefinition Definition { get; }

    /// <summary>Gets the experiment key.</summary>
    public string Key => Definition.Key;

    /// <summary>Gets the status.</summary>
    public ExperimentStatus Status { get; }

    /// <summary>Gets the index of the current step in <see cref="CanaryRamp.Shares"/>.</summary>
    public int RampStep { get; }

    /// <summary>Gets a value indicating whether the ramp has reached its last step.</summary>
    public bool IsAtFinalRampStep => RampStep == Definition.Ramp.Shares.Count - 1;

    /// <summary>Gets the challenger's share of traffic at the current step (the champion arm gets as much; the rest is not counted).</summary>
    public double ChallengerShare => Definition.Ramp.Shares[RampStep];

    /// <summary>Gets when the experiment started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the current ramp step started.</summary>
    public DateTimeOffset StepStartedAt { get; }

    /// <summary>Gets when the experiment ended, or <see langword="null"/> while it runs.</summary>
    public DateTimeOffset? EndedAt { get; }

    internal string Seed { get; }

    /// <summary>The version-2 hash state after the seed, computed once.</summary>
    internal uint SeedState { get; }

    internal BucketRange ChampionRange { get; }

    internal BucketRange ChallengerRange { get; }

    /// <summary>Validates <paramref name="definition"/> and starts the experiment at the first ramp step.</summary>
    /// <param name="definition">What to test.</param>
    /// <param name="startedAt">The start time (from the host's <see cref="TimeProvider"/>).</param>
    /// <returns>The running experiment.</returns>
    /// <exception cref="ArgumentException">A field of the definition is invalid; the message names it.</exception>
    public static Experiment Start(ExperimentDefinition definition, DateTimeOffset startedAt)
    {
        Validate(definition);
        return new Experiment(definition, ExperimentStatus.Running, 0, startedAt, startedAt, null);
    }

    /// <summary>Rebuilds an experiment read back from a store.</summary>
    /// <param name="definition">What it tests.</param>
    /// <param name="status">Its status.</param>
    /// <param name="rampStep">Its ramp step.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="stepStartedAt">When the ramp step started.</param>
    /// <param name="endedAt">When it ended, if it has.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="ArgumentException">The definition is invalid or the step is outside the ramp.</exception>
    public static Experiment Restore(
        ExperimentDefinition definition,
        ExperimentStatus status,
        int rampStep,
        DateTimeOffset startedAt,
        DateTimeOffset stepStartedAt,
        DateTimeOffset? endedAt)
    {
        Validate(definition);
        Guard.InRange(rampStep, 0, definition.Ramp.Shares.Count - 1);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"'{nameof(status)}' is not an {nameof(ExperimentStatus)}.");
        }

        return new Experiment(definition, status, rampStep, startedAt, stepStartedAt, endedAt);
    }

    /// <summary>Moves to the next ramp step.</summary>
    /// <param name="at">When the step starts.</param>
    /// <returns>The experiment at the next step.</returns>
    /// <exception cref="InvalidOperationException">The experiment is not running or is at its last step.</exception>
    public Experiment RampUp(DateTimeOffset at)
    {
        EnsureRunning();
        if (IsAtFinalRampStep)
        {
            throw new InvalidOperationException($"Experiment '{Key}' is already at its last ramp step ({ChallengerShare.ToString("R", CultureInfo.InvariantCulture)}).");
        }

        return new Experiment(Definition, Status, RampStep + 1, StartedAt, at, null);
    }

    /// <summary>Ends the experiment.</summary>
    /// <param name="status">How it ended (anything but <see cref="ExperimentStatus.Running"/>).</param>
    /// <param name="at">When it ended.</param>
    /// <returns>The ended experiment; the router then sends every unit to the winning version.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <see cref="ExperimentStatus.Running"/> or undefined.</exception>
    /// <exception cref="InvalidOperationException">The experiment has already ended.</exception>
    public Experiment Conclude(ExperimentStatus status, DateTimeOffset at)
    {
        if (status == ExperimentStatus.Running || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"'{nameof(status)}' must be a final status, but is {status}.");
        }

        EnsureRunning();
        return new Experiment(Definition, status, RampStep, StartedAt, StepStartedAt, at);
    }

    private void EnsureRunning()
    {
        if (Status != ExperimentStatus.Running)
        {
            throw new InvalidOperationException($"Experiment '{Key}' has ended ({Status}).");
        }
    }

    private static void Validate(ExperimentDefinition definition)
    {
        Guard.NotNull(definition);
        Guard.NotNullOrWhiteSpace(definition.Key);
        Guard.NotNullOrWhiteSpace(definition.ModelName);
        Guard.Positive(definition.ChampionVersion, $"{nameof(definition)}.{nameof(definition.ChampionVersion)}");
        Guard.Positive(definition.ChallengerVersion, $"{nameof(definition)}.{nameof(definition.ChallengerVersion)}");
        if (definition.ChampionVersion == definition.ChallengerVersion)
        {
            throw new ArgumentException(
                $"'{nameof(definition)}.{nameof(definition.ChallengerVersion)}' is {definition.ChallengerVersion}, the same as the champion.",
                $"{nameof(definition)}.{nameof(definition.ChallengerVersion)}");
        }

        if (definition.Seed is not null)
        {
            Guard.NotNullOrWhiteSpace(definition.Seed);
        }

        Guard.InRange(definition.HashVersion, 1, 2);
        if (!Enum.IsDefined(definition.Mode))
        {
            throw new ArgumentOutOfRangeException($"{nameof(definition)}.{nameof(definition.Mode)}", definition.Mode, "Unknown experiment mode.");
        }

        Guard.NotNull(definition.Ramp);
        if (definition.MaximumDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(definition)}.{nameof(definition.MaximumDuration)}",
                definition.MaximumDuration,
                "The maximum duration must be positive.");
        }

        Guard.NotNull(definition.PrimaryMetric);
        Guard.NotNull(definition.Guardrails);
        var names = new HashSet<string>(StringComparer.Ordinal) { definition.PrimaryMetric.Name };
        for (int i = 0; i < definition.Guardrails.Count; i++)
        {
            ExperimentMetric? guardrail = definition.Guardrails[i];
            if (guardrail is null || !names.Add(guardrail.Name))
            {
                throw new ArgumentException(
                    $"'{nameof(definition)}.{nameof(definition.Guardrails)}' element {i} is null or repeats the metric name '{guardrail?.Name}'.",
                    $"{nameof(definition)}.{nameof(definition.Guardrails)}");
            }
        }

        if (definition.PlannedSampleSizePerArm < 2)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(definition)}.{nameof(definition.PlannedSampleSizePerArm)}",
                definition.PlannedSampleSizePerArm,
                $"The planned sample size per arm must be at least 2, but is {definition.PlannedSampleSizePerArm}.");
        }
    }
}
