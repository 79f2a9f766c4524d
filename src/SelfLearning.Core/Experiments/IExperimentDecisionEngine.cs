namespace SelfLearning.Experiments;

/// <summary>Looks at an experiment's results and decides what to do next, then does it and records it.</summary>
public interface IExperimentDecisionEngine
{
    /// <summary>
    /// Analyses the experiment, decides (<see cref="DecisionAction"/>), applies the decision (ramps up,
    /// promotes through <see cref="IChampionActivator"/>, or ends the experiment) and records it.
    /// </summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The recorded decision.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that key.</exception>
    /// <exception cref="InvalidOperationException">The experiment has already ended.</exception>
    ValueTask<ExperimentDecision> EvaluateAsync(string experimentKey, CancellationToken cancellationToken = default);
}
