namespace SelfLearning.Calibration;

/// <summary>
/// The logistic function and its log-partition, written so no argument overflows or loses the small
/// tail values. These are the formulas shared by fitting and inference.
/// </summary>
internal static class Logistic
{
    /// <summary>σ(z) = 1 / (1 + e^(−z)), in [0, 1] for every finite or infinite z.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0.0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>
    /// log(1 + x) for x ≥ 0, accurate to a few ulps even where 1 + x rounds to 1 (Goldberg 1991,
    /// "What every computer scientist should know about floating-point arithmetic", theorem 4).
    /// Hand-written because .NET's <c>double.LogP1</c> is <c>Math.Log(x + 1)</c>, which loses these digits.
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>log(1 + e^z) without overflow.</summary>
    public static double LogOnePlusExp(double z) =>
        z > 0.0 ? z + Log1P(Math.Exp(-z)) : Log1P(Math.Exp(z));
}
