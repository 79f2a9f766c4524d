namespace SelfLearning.Experiments;

/// <summary>What an <see cref="IExperimentStorage"/> did with a write it was asked to make.</summary>
public enum ExperimentWriteResult
{
    /// <summary>The write was applied.</summary>
    Written,

    /// <summary>
    /// Nothing was changed because the write was already made or is no longer allowed: the unit was already held or the
    /// experiment's units were released, the prediction's outcome for the metric was already recorded, or a prediction
    /// with the id is already kept.
    /// </summary>
    Unchanged,

    /// <summary>Nothing was changed because the experiment (or, for an outcome of a kept prediction, the prediction) is not stored.</summary>
    NotFound,
}
