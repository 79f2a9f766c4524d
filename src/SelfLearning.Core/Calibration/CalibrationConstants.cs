namespace SelfLearning.Calibration;

/// <summary>Solver limits and tolerances shared by the calibrators.</summary>
internal static class CalibrationConstants
{
    /// <summary>Newton iterations allowed before a fit reports that it did not converge.</summary>
    public const int MaxNewtonIterations = 100;

    /// <summary>
    /// A Newton step whose every component is at most this, relative to <c>1 + |parameter|</c>, is the
    /// last one: Newton converges quadratically, so after it the error is far below double precision.
    /// </summary>
    public const double RelativeStepTolerance = 1e-10;

    /// <summary>The smallest backtracking step before the line search gives up (Lin, Lin and Weng 2007).</summary>
    public const double MinLineSearchStep = 1e-10;

    /// <summary>Armijo's sufficient-decrease constant (Lin, Lin and Weng 2007).</summary>
    public const double ArmijoConstant = 1e-4;

    /// <summary>
    /// Added to the Hessian's diagonal so a flat direction (e.g. all scores equal) never makes the
    /// Newton system singular (Lin, Lin and Weng 2007 use the same 1e-12).
    /// </summary>
    public const double HessianRidge = 1e-12;

    /// <summary>
    /// The line search accepts a trial point whose objective exceeds the Armijo bound by at most this
    /// share of the objective: rounding noise in a sum of a million losses, not a real increase.
    /// </summary>
    public const double ObjectiveNoise = 1e-11;

    /// <summary>The number of cross-validation folds <see cref="CalibratorSelector"/> uses by default.</summary>
    public const int DefaultFolds = 5;

    /// <summary>The number of histogram bins <see cref="CalibratorSelector"/> uses by default.</summary>
    public const int DefaultHistogramBins = 10;

    /// <summary>Probabilities are clipped to [ε, 1 − ε] with this ε before a log loss is taken.</summary>
    public const double LogLossEpsilon = 1e-15;
}
