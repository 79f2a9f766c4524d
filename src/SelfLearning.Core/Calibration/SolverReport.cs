namespace SelfLearning.Calibration;

/// <summary>How an iterative fit ended.</summary>
/// <param name="Iterations">The number of Newton iterations the solver took.</param>
/// <param name="Converged">
/// Whether the solver met its tolerance. When <see langword="false"/> the parameters are the best the
/// solver reached within its iteration limit, and callers that need a converged fit should refuse them.
/// </param>
public readonly record struct SolverReport(int Iterations, bool Converged);
