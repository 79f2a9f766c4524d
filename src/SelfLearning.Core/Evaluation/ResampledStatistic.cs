namespace SelfLearning.Evaluation;

/// <summary>A statistic computed over the cases at the given indices (which may repeat, as in a bootstrap resample).</summary>
/// <param name="indices">The indices of the cases in the resample.</param>
/// <returns>The statistic; it must be a finite number.</returns>
internal delegate double ResampledStatistic(ReadOnlySpan<int> indices);
