using SelfLearning.Experiments;

namespace SelfLearning.Hosting;

/// <summary>
/// One served prediction: the calibrated probability and everything needed to record its outcome later. A
/// value type, so serving allocates nothing; keep it (or its fields) with the case until the outcome is known.
/// </summary>
public readonly record struct Prediction
{
    internal Prediction(Guid id, string modelName, string unitId, int modelVersion, string modelVersionText, double score, double probability, ExperimentArm arm, Experiment? experiment)
    {
        ModelVersionText = modelVersionText;
        Id = id;
        ModelName = modelName;
        UnitId = unitId;
        ModelVersion = modelVersion;
        Score = score;
        Probability = probability;
        Arm = arm;
        Experiment = experiment;
    }

    /// <summary>Gets the prediction id, unique per prediction.</summary>
    public Guid Id { get; }

    /// <summary>Gets the model name.</summary>
    public string ModelName { get; }

    /// <summary>Gets the unit (user, patient, session) the prediction was routed for.</summary>
    public string UnitId { get; }

    /// <summary>Gets the registry version that served the prediction, or 0 for the uncalibrated baseline before the first champion.</summary>
    public int ModelVersion { get; }

    /// <summary>Gets the host model's raw score.</summary>
    public double Score { get; }

    /// <summary>Gets the calibrated probability that the host's prediction is right.</summary>
    public double Probability { get; }

    /// <summary>Gets the arm that served the prediction (<see cref="ExperimentArm.Champion"/> outside a canary).</summary>
    public ExperimentArm Arm { get; }

    /// <summary>Gets a value indicating whether the unit is counted in a running canary.</summary>
    public bool InExperiment => Experiment is not null;

    /// <summary>Gets <see cref="ModelVersion"/> as the text the monitoring windows and experiments key on.</summary>
    internal string ModelVersionText { get; }

    /// <summary>Gets the canary the unit is counted in, if any.</summary>
    internal Experiment? Experiment { get; }
}
