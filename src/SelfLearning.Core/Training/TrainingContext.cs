using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>Everything a trainer gets for one run: the data and its splits, the parameters, a seed, a progress sink and a logger.</summary>
public sealed class TrainingContext
{
    private static readonly IProgress<TrainingProgress> NoProgress = new Progress<TrainingProgress>();

    /// <summary>Creates a context.</summary>
    /// <param name="data">The training and validation splits.</param>
    /// <param name="parameters">The hyperparameters; <see cref="TrainingParameters.Empty"/> for the trainer's defaults.</param>
    /// <param name="seed">The seed for every random choice.</param>
    /// <param name="progress">Receives progress reports; <see langword="null"/> to discard them.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public TrainingContext(TrainingData data, TrainingParameters parameters, int seed, IProgress<TrainingProgress>? progress = null, ILogger? logger = null)
        : this(data, parameters, seed, progress, logger, null)
    {
    }

    private TrainingContext(TrainingData data, TrainingParameters parameters, int seed, IProgress<TrainingProgress>? progress, ILogger? logger, PauseGate? gate)
    {
        Data = Guard.NotNull(data);
        Parameters = Guard.NotNull(parameters);
        Seed = seed;
        Progress = progress ?? NoProgress;
        Logger = logger ?? NullLogger.Instance;
        Gate = gate;
    }

    /// <summary>Gets the training and validation splits.</summary>
    public TrainingData Data { get; }

    /// <summary>Gets the hyperparameters.</summary>
    public TrainingParameters Parameters { get; }

    /// <summary>Gets the seed.</summary>
    public int Seed { get; }

    /// <summary>Gets the progress sink.</summary>
    public IProgress<TrainingProgress> Progress { get; }

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; }

    internal PauseGate? Gate { get; }

    /// <summary>
    /// A point where the run may be paused or cancelled: completes at once while the job runs, waits while it is
    /// paused, and throws <see cref="OperationCanceledException"/> once it is cancelled.
    /// </summary>
    /// <param name="cancellationToken">The run's cancellation token.</param>
    /// <returns>A task that completes when the trainer may go on.</returns>
    public Task CheckpointAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Gate is null ? Task.CompletedTask : Gate.WaitAsync(cancellationToken);
    }

    /// <summary>Reports progress.</summary>
    /// <param name="percent">How far the run is, in [0, 100].</param>
    /// <param name="stage">What the trainer is doing.</param>
    /// <param name="metrics">Interim metrics, if any.</param>
    public void Report(double percent, string stage, IReadOnlyDictionary<string, double>? metrics = null) =>
        Progress.Report(new TrainingProgress(percent, stage, metrics));

    /// <summary>A context for the engine, wired to the job's pause gate.</summary>
    internal static TrainingContext ForJob(TrainingData data, TrainingParameters parameters, int seed, IProgress<TrainingProgress> progress, ILogger logger, PauseGate gate) =>
        new(data, parameters, seed, progress, logger, gate);

    /// <summary>A copy with other data and parameters (for a grid-search fold), keeping seed, gate and logger, discarding progress.</summary>
    internal TrainingContext For(TrainingData data, TrainingParameters parameters) =>
        new(data, parameters, Seed, null, Logger, Gate);
}
