namespace SelfLearning.Calibration;

/// <summary>The logistic function, shared by fitting and inference.</summary>
internal static class Logistic
{
    /// <summary>σ(z) = 1 / (1 + e^(−z)), in [0, 1] for every z, without overflow and keeping tiny tail values.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0.0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }
}
