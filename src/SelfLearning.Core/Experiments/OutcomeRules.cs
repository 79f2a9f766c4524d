using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>Checks shared by every <see cref="IExperimentStore"/>: the metric belongs to the experiment and the value fits it.</summary>
internal static class OutcomeRules
{
    public static ExperimentMetric Metric(Experiment experiment, string metric)
    {
        Guard.NotNull(metric);
        ExperimentDefinition definition = experiment.Definition;
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

        throw new ArgumentException($"Experiment '{experiment.Key}' has no metric '{metric}'.", nameof(metric));
    }

    public static void Value(ExperimentMetric metric, double value, string name)
    {
        if (!double.IsFinite(value) || (metric.Kind == MetricKind.SuccessRate && value != 0.0 && value != 1.0))
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                string.Create(CultureInfo.InvariantCulture, $"'{name}' is {value:R}, but metric '{metric.Name}' takes {(metric.Kind == MetricKind.SuccessRate ? "0 or 1" : "finite values")}."));
        }
    }

    public static KeyNotFoundException UnknownExperiment(string experimentKey) => new($"No experiment has the key '{experimentKey}'.");
}
