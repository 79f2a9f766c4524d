namespace SelfLearning.Evaluation;

/// <summary>One rule of a <see cref="QualityGateVerdict"/> with the numbers it was judged on.</summary>
/// <param name="Rule">The rule name, e.g. <c>ece-relative-improvement</c>.</param>
/// <param name="Passed">Whether the candidate passed it.</param>
/// <param name="Value">The measured value the rule compares.</param>
/// <param name="Threshold">The limit the value is compared with.</param>
/// <param name="Detail">The rule and its numbers in words.</param>
public sealed record QualityGateRuleResult(string Rule, bool Passed, double Value, double Threshold, string Detail);
