using SelfLearning.Experiments;
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
/// </remarks>
public readonly record struct Prediction
{
    internal Prediction(Guid id, string modelName, string unitId, TaskKind task, string modelVersionText, int modelVersion, ExperimentArm arm, Experiment? experiment)
    {
        Id = id;
        ModelName = modelName;
        UnitId = unitId;
        TaskKind = task;
        ModelVersionText = modelVersionText;
        ModelVersion = modelVersion;
        Arm = arm;
        Experiment = experiment;
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
    public bool InExperiment => Experiment is not null;

    /// <summary>Gets <see cref="ModelVersion"/> as the text the monitoring windows and experiments key on.</summary>
    internal string ModelVersionText { get; }

    /// <summary>Gets the canary the unit is counted in, if any.</summary>
    internal Experiment? Experiment { get; }
}
