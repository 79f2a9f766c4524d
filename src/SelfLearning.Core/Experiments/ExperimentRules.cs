using System.Globalization;

namespace SelfLearning.Experiments;

/// <summary>
/// The decision rules, as a pure function of the experiment, its analysis and the clock:
/// a broken split (sample ratio mismatch) or a regressing guardrail always halts and never promotes;
/// a significantly worse primary metric rolls back; a significantly better one ramps up step by step
/// and promotes at the last step; otherwise the experiment continues, ramps up when the step's
/// minimum sample and time are met, and stops as inconclusive at its maximum duration or sample.
/// </summary>
internal static class ExperimentRules
{
    public static (DecisionAction Action, IReadOnlyList<string> Reasons) Decide(
        Experiment experiment,
        ExperimentAnalysis analysis,
        long stepBaselineSamples,
        DateTimeOffset now,
        ExperimentDecisionOptions options)
    {
        var halts = new List<string>();
        SampleRatioCheck srm = analysis.SampleRatio;
        if (srm.IsMismatch)
        {
            halts.Add(Format(
                $"Sample ratio mismatch: {srm.ChampionUnits} champion vs {srm.ChallengerUnits} challenger units, χ² = {srm.ChiSquare:G4}, p = {srm.PValue:G3} < {options.SampleRatioMismatchThreshold:G3}; the split is broken."));
        }

        foreach (MetricAnalysis guardrail in analysis.Guardrails)
        {
            if (guardrail.IsRegression)
            {
                halts.Add(Describe("Guardrail regressed", guardrail));
            }
        }

        MetricAnalysis primary = analysis.Primary;
        if (primary.IsRegression)
        {
            halts.Add(Describe("Primary metric is significantly worse", primary));
        }

        if (halts.Count > 0)
        {
            return (DecisionAction.RollBack, halts);
        }

        var reasons = new List<string>();
        long samples = Math.Min(primary.Champion.Count, primary.Challenger.Count);
        long stepSamples = samples - stepBaselineSamples;
        TimeSpan atStep = now - experiment.StepStartedAt;
        CanaryRamp ramp = experiment.Definition.Ramp;
        bool stepDone = stepSamples >= ramp.MinimumSamplesPerArm && atStep >= ramp.MinimumStepDuration;
        string stepState = Format(
            $"Step {experiment.RampStep + 1}/{ramp.Shares.Count} ({experiment.ChallengerShare:P0}): {stepSamples} of {ramp.MinimumSamplesPerArm} outcomes per arm, {atStep.TotalHours:F1} h of {ramp.MinimumStepDuration.TotalHours:F1} h.");

        if (primary.IsImprovement)
        {
            reasons.Add(Describe("Primary metric is significantly better", primary));
            reasons.Add(stepState);
            if (!stepDone)
            {
                return (DecisionAction.Continue, reasons);
            }

            return (experiment.IsAtFinalRampStep ? DecisionAction.Promote : DecisionAction.RampUp, reasons);
        }

        reasons.Add(Describe("No significant difference yet", primary));
        TimeSpan elapsed = now - experiment.StartedAt;
        long maximumSamples = (long)Math.Ceiling(experiment.Definition.PlannedSampleSizePerArm * options.InconclusiveSampleMultiple);
        if (elapsed >= experiment.Definition.MaximumDuration)
        {
            reasons.Add(Format($"Maximum duration reached: {elapsed.TotalDays:F1} of {experiment.Definition.MaximumDuration.TotalDays:F1} days."));
            return (DecisionAction.StopInconclusive, reasons);
        }

        if (samples >= maximumSamples)
        {
            reasons.Add(Format($"Maximum sample reached: {samples} of {maximumSamples} outcomes per arm."));
            return (DecisionAction.StopInconclusive, reasons);
        }

        reasons.Add(stepState);
        return (stepDone && !experiment.IsAtFinalRampStep ? DecisionAction.RampUp : DecisionAction.Continue, reasons);
    }

    private static string Describe(string what, MetricAnalysis metric) => Format(
        $"{what}: {metric.Metric.Name} champion {metric.Champion.Mean:G4} (n = {metric.Champion.Count}) vs challenger {metric.Challenger.Mean:G4} (n = {metric.Challenger.Count}), lift {metric.RelativeLift:P2} [{metric.RelativeLiftLower:P2}, {metric.RelativeLiftUpper:P2}], always-valid p = {metric.Sequential.PValue:G3}, difference in [{metric.Sequential.Lower:G4}, {metric.Sequential.Upper:G4}].");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
