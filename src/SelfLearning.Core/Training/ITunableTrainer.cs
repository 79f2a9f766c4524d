namespace SelfLearning.Training;

/// <summary>A trainer that declares a hyperparameter grid for <see cref="GridSearch"/>.</summary>
public interface ITunableTrainer : ITrainer
{
    /// <summary>Gets the grid to search and the validation metric that ranks its points.</summary>
    HyperparameterSpace SearchSpace { get; }
}
