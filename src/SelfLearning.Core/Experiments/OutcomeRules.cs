using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The outcome checks <see cref="ExperimentStore"/> applies for every storage (a host's own storage behind
/// <see cref="IExperimentStorage"/> inherits them): the metric belongs to the experiment, the value fits it,
/// and a label scores a served output.
/// </summary>
internal static class OutcomeRules
{
    /// <summary>Finds the experiment's metric (primary or guardrail) named <paramref name="metric"/>.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="metric">The metric name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException">The experiment has no such metric (parameter <c>metric</c>).</exception>
    public static ExperimentMetric Metric(Experiment experiment, string metric)
    {
        Guard.NotNull(experiment);
        return Metric(experiment.Definition, metric);
    }

    /// <summary>Finds the metric (primary or guardrail) named <paramref name="metric"/> in an experiment's definition.</summary>
    /// <param name="definition">The experiment's definition.</param>
    /// <param name="metric">The metric name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException">The definition has no such metric (parameter <c>metric</c>).</exception>
    public static ExperimentMetric Metric(ExperimentDefinition definition, string metric)
    {
        Guard.NotNull(definition);
        Guard.NotNull(metric);
        if (definition.PrimaryMetric.Name == metric)
        {
            return definition.PrimaryMetric;
        }

        foreach (ExperimentMetric guardrail in definition.Guardrails)
        {
            if (guardrail.Name == metric)
            {
                return guardrail;
            }
        }

        throw new ArgumentException($"Experiment '{definition.Key}' has no metric '{metric}'.", nameof(metric));
    }

    /// <summary>Finds the success-rate metric a label is scored against.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="metric">The metric name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException">The experiment has no such metric, or it is continuous (parameter <c>metric</c>).</exception>
    public static ExperimentMetric LabelMetric(Experiment experiment, string metric)
    {
        Guard.NotNull(experiment);
        return LabelMetric(experiment.Definition, metric);
    }

    /// <summary>Finds the success-rate metric a label is scored against in an experiment's definition.</summary>
    /// <param name="experiment">The experiment's definition.</param>
    /// <param name="metric">The metric name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException">The definition has no such metric, or it is continuous (parameter <c>metric</c>).</exception>
    public static ExperimentMetric LabelMetric(ExperimentDefinition experiment, string metric)
    {
        ExperimentMetric definition = Metric(experiment, metric);
        return definition.Kind == MetricKind.SuccessRate
            ? definition
            : throw new ArgumentException($"Metric '{metric}' is continuous; a label scores success-rate metrics only.", nameof(metric));
    }

    /// <summary>Checks that <paramref name="value"/> is an outcome of <paramref name="metric"/>: finite, and 0 or 1 for a success rate.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="value">The value.</param>
    /// <param name="name">The argument name reported when the value is refused.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value does not fit the metric.</exception>
    public static void Value(ExperimentMetric metric, double value, string name)
    {
        Guard.NotNull(metric);
        if (!double.IsFinite(value) || (metric.Kind == MetricKind.SuccessRate && value != 0.0 && value != 1.0))
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                string.Create(CultureInfo.InvariantCulture, $"'{name}' is {value:R}, but metric '{metric.Name}' takes {(metric.Kind == MetricKind.SuccessRate ? "0 or 1" : "finite values")}."));
        }
    }

    /// <summary>Scores an output against the true label: 1 when they are equal (ordinal), else 0.</summary>
    /// <param name="output">The model's output.</param>
    /// <param name="label">The true label.</param>
    /// <returns>1 or 0.</returns>
    public static double Score(string output, string label) => string.Equals(output, label, StringComparison.Ordinal) ? 1.0 : 0.0;

    /// <summary>The error a store raises for an unknown experiment key.</summary>
    /// <param name="experimentKey">The key.</param>
    /// <returns>The exception to throw.</returns>
    public static KeyNotFoundException UnknownExperiment(string experimentKey) => new($"No experiment has the key '{experimentKey}'.");

    /// <summary>The error a store raises when a label arrives for a prediction kept without its output.</summary>
    /// <param name="predictionId">The prediction id.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException NoServedOutput(string predictionId) =>
        new($"Prediction '{predictionId}' was kept without its output, so a label cannot be scored; record its outcome value instead.");

    /// <summary>The error a store raises when a delayed value arrives for a shadow-mode prediction.</summary>
    /// <param name="predictionId">The prediction id.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException ShadowNeedsLabel(string predictionId) =>
        new($"Prediction '{predictionId}' is a shadow pair; resolve it with its label or record a paired outcome.");

    /// <summary>The error a store raises when a prediction id is kept twice.</summary>
    /// <param name="prediction">The prediction refused.</param>
    /// <returns>The exception to throw (parameter <c>prediction</c>).</returns>
    public static ArgumentException DuplicatePrediction(PredictionRecord prediction)
    {
        Guard.NotNull(prediction);
        return new($"A prediction with id '{prediction.PredictionId}' is already kept.", nameof(prediction));
    }
}
