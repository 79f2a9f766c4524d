namespace SelfLearning.Experiments;

/// <summary>Routes units deterministically and stickily between an experiment's champion and challenger.</summary>
public interface IAbTestRouter
{
    /// <summary>
    /// Assigns <paramref name="unitId"/>: the same experiment state and unit always give the same
    /// answer, and a unit keeps its arm while the challenger's share grows. Lock-free and
    /// allocation-free, so it can sit on the prediction path.
    /// </summary>
    /// <param name="experiment">The experiment, at its current step.</param>
    /// <param name="unitId">The unit (user, patient, session...) being routed.</param>
    /// <returns>The arm, the version to serve and whether the unit is in the experiment.</returns>
    Assignment Assign(Experiment experiment, string unitId);
}
