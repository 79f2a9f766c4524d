using System.Text.Json.Serialization;
using SelfLearning.Experiments;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>
/// One served prediction, typed by the model's task, with everything needed to record its outcome later. A value
/// type, so serving allocates nothing; keep it (or its fields) with the case until the outcome is known.
/// </summary>
/// <remarks>
/// Score calibration fills <see cref="Score"/> and <see cref="Probability"/> (that the host's prediction is right);
/// classification fills <see cref="Label"/> and <see cref="Probability"/> (the calibrated probability of that label);
/// regression fills <see cref="Value"/> with its interval <see cref="Lower"/>–<see cref="Upper"/>; clustering fills
/// <see cref="Cluster"/>. The other fields are <see langword="null"/>, NaN or −1.
/// <para>
/// A prediction is also its own ticket: it round-trips through System.Text.Json (NaN fields as <c>"NaN"</c>), so a web
/// app can hand it to the client or keep it with the case and record the outcome in a later request.
/// </para>
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public readonly record struct Prediction
{
    /// <summary>Restores a prediction from its fields, as System.Text.Json does with a serialised ticket.</summary>
    /// <param name="id">The prediction id.</param>
    /// <param name="modelName">The model name.</param>
    /// <param name="unitId">The unit it was routed for.</param>
    /// <param name="taskKind">The task of the model that served it.</param>
    /// <param name="modelVersion">The registry version that served it, 0 for the uncalibrated baseline.</param>
    /// <param name="arm">The arm that served it.</param>
    /// <param name="experimentKey">The canary the unit is counted in, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelName"/> or <paramref name="unitId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modelVersion"/> is negative.</exception>
    [JsonConstructor]
    public Prediction(Guid id, string modelName, string unitId, TaskKind taskKind, int modelVersion, ExperimentArm arm, string? experimentKey)
    {
        Id = id;
        ModelName = Guard.NotNull(modelName);
        UnitId = Guard.NotNull(unitId);
        // Range checks, not Enum.IsDefined: this runs on every prediction.
        TaskKind = taskKind is >= TaskKind.ScoreCalibration and <= TaskKind.Clustering
            ? taskKind
            : throw new ArgumentOutOfRangeException(nameof(taskKind), taskKind, $"'{nameof(taskKind)}' is {taskKind}, which is not a defined TaskKind.");
        ModelVersion = modelVersion >= 0
            ? modelVersion
            : throw new ArgumentOutOfRangeException(nameof(modelVersion), modelVersion, $"modelVersion is {modelVersion}; a version is 0 (the baseline) or more.");
        Arm = arm is ExperimentArm.Champion or ExperimentArm.Challenger
            ? arm
            : throw new ArgumentOutOfRangeException(nameof(arm), arm, $"'{nameof(arm)}' is {arm}, which is not a defined ExperimentArm.");
        ExperimentKey = experimentKey;
    }

    /// <summary>Gets the prediction id, unique per prediction.</summary>
    public Guid Id { get; }

    /// <summary>Gets the model name.</summary>
    public string ModelName { get; }

    /// <summary>Gets the unit (user, patient, session) the prediction was routed for.</summary>
    public string UnitId { get; }

    /// <summary>Gets the task of the model that served it.</summary>
    public TaskKind TaskKind { get; }

    /// <summary>Gets the registry version that served the prediction, or 0 for the uncalibrated baseline before the first champion.</summary>
    public int ModelVersion { get; }

    /// <summary>Gets the host model's raw score (score calibration); NaN otherwise.</summary>
    public double Score { get; init; } = double.NaN;

    /// <summary>
    /// Gets the calibrated probability: that the host's prediction is right (score calibration), or of <see cref="Label"/>
    /// (classification); NaN otherwise.
    /// </summary>
    public double Probability { get; init; } = double.NaN;

    /// <summary>Gets the predicted class (classification); <see langword="null"/> otherwise.</summary>
    public string? Label { get; init; }

    /// <summary>Gets the predicted value (regression); NaN otherwise.</summary>
    public double Value { get; init; } = double.NaN;

    /// <summary>Gets the lower end of the split-conformal prediction interval (regression); NaN otherwise.</summary>
    public double Lower { get; init; } = double.NaN;

    /// <summary>Gets the upper end of the split-conformal prediction interval (regression); NaN otherwise.</summary>
    public double Upper { get; init; } = double.NaN;

    /// <summary>Gets the assigned cluster (clustering); −1 otherwise.</summary>
    public int Cluster { get; init; } = -1;

    /// <summary>Gets the arm that served the prediction (<see cref="ExperimentArm.Champion"/> outside a canary).</summary>
    public ExperimentArm Arm { get; }

    /// <summary>Gets a value indicating whether the unit is counted in a running canary.</summary>
    [JsonIgnore]
    public bool InExperiment => ExperimentKey is not null;

    /// <summary>Gets the key of the canary the unit is counted in; <see langword="null"/> outside one.</summary>
    public string? ExperimentKey { get; }
}
