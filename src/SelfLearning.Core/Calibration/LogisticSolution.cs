namespace SelfLearning.Calibration;

/// <summary>The minimiser found by <see cref="LogisticNewtonSolver"/>.</summary>
/// <param name="Intercept">c.</param>
/// <param name="Weight0">w₀.</param>
/// <param name="Weight1">w₁ (0 with one feature).</param>
/// <param name="Report">How the solver ended.</param>
internal readonly record struct LogisticSolution(double Intercept, double Weight0, double Weight1, SolverReport Report);
