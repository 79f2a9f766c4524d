using System.Collections.Immutable;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// A grid of hyperparameter values, the validation metric that ranks its points, and the number of folds for
/// <see cref="GridSearch"/>. Immutable: <see cref="With(string, double[])"/> returns a new space.
/// </summary>
public sealed class HyperparameterSpace
{
    private readonly ImmutableArray<(string Name, ImmutableArray<string> Values)> _dimensions;

    /// <summary>Creates an empty space.</summary>
    /// <param name="selectionMetric">The validation metric (a key of <see cref="TrainingResult.ValidationMetrics"/>) that ranks grid points.</param>
    /// <param name="goal">Whether that metric is minimised or maximised.</param>
    /// <param name="folds">The number of folds of the training split, at least 2.</param>
    public HyperparameterSpace(string selectionMetric, MetricGoal goal, int folds = 5)
        : this(Guard.NotNullOrWhiteSpace(selectionMetric), Guard.Defined(goal), Guard.InRange(folds, 2, int.MaxValue), [])
    {
    }

    private HyperparameterSpace(string selectionMetric, MetricGoal goal, int folds, ImmutableArray<(string, ImmutableArray<string>)> dimensions)
    {
        SelectionMetric = selectionMetric;
        Goal = goal;
        Folds = folds;
        _dimensions = dimensions;
    }

    /// <summary>Gets the metric that ranks grid points.</summary>
    public string SelectionMetric { get; }

    /// <summary>Gets whether the metric is minimised or maximised.</summary>
    public MetricGoal Goal { get; }

    /// <summary>Gets the number of folds.</summary>
    public int Folds { get; }

    /// <summary>Gets the names of the parameters searched, in declaration order.</summary>
    public IReadOnlyList<string> Names => _dimensions.Select(d => d.Name).ToArray();

    /// <summary>Returns a copy that also searches <paramref name="name"/> over <paramref name="values"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="values">The candidate values; at least one, all finite, no duplicates.</param>
    /// <returns>The new space.</returns>
    public HyperparameterSpace With(string name, params double[] values)
    {
        Guard.NotNullOrWhiteSpace(name);
        Guard.NotNull(values);
        Guard.NotEmpty<double>(values);
        Guard.AllFinite(values);
        if (values.Distinct().Count() != values.Length)
        {
            throw new ArgumentException($"'{nameof(values)}' for '{name}' holds a value twice.", nameof(values));
        }

        if (_dimensions.Any(d => string.Equals(d.Name, name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The space already searches '{name}'.", nameof(name));
        }

        var texts = values.Select(v => TrainingParameters.Empty.With(name, v)[name]).ToImmutableArray();
        return new(SelectionMetric, Goal, Folds, _dimensions.Add((name, texts)));
    }

    /// <summary>Every grid point, the first dimension varying slowest.</summary>
    /// <returns>The points, each a parameter set holding one value per dimension.</returns>
    public IReadOnlyList<TrainingParameters> Grid()
    {
        IEnumerable<TrainingParameters> points = [TrainingParameters.Empty];
        foreach (var (name, values) in _dimensions)
        {
            points = points.SelectMany(p => values.Select(v => p.With(name, v))).ToArray();
        }

        return points.ToArray();
    }
}
