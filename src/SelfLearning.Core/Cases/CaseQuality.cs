namespace SelfLearning.Cases;

/// <summary>A case's quality score and what it is made of; every part is in [0, 1].</summary>
/// <param name="Score">The weighted mean of the parts, with staleness counted as 1 − staleness.</param>
/// <param name="Completeness">The share of the expected input that is present and finite.</param>
/// <param name="ReviewerCertainty">How sure the reviewer was.</param>
/// <param name="Agreement">The share of the case's reviews that gave the kept label (1 for a single review).</param>
/// <param name="Staleness">How old the validation is: 0 when just validated, ½ after one half-life, approaching 1.</param>
internal readonly record struct CaseQuality(double Score, double Completeness, double ReviewerCertainty, double Agreement, double Staleness);
