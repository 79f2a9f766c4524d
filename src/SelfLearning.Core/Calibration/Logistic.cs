using System.Runtime.CompilerServices;
#if NET9_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace SelfLearning.Calibration;

/// <summary>The logistic function, shared by fitting and inference.</summary>
/// <remarks>
/// From .NET 9 the scalar function is the vector one on a broadcast value, so a batch computed four
/// cases at a time runs the same formula and the same exponential as case-by-case calls; the JIT may
/// still fuse a multiply-add in one inlined copy and not the other, so they agree to one ulp (the
/// tests check this). On .NET 8, which has no Vector256.Exp, both paths use Math.Exp and agree exactly.
/// </remarks>
internal static class Logistic
{
    /// <summary>
    /// Below this, e^x is 0 in double precision (the smallest subnormal is e^−744.4); the exponent is
    /// clamped here so the vector exponential never sees an extreme argument, without changing a result.
    /// </summary>
    private const double ExpUnderflow = -746.0;

    /// <summary>σ(z) = 1 / (1 + e^(−z)), in [0, 1] for every z, without overflow and keeping tiny tail values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double z)
    {
#if NET9_0_OR_GREATER
        return Sigmoid(Vector256.Create(z)).ToScalar();
#else
        // e = e^(−|z|) ∈ (0, 1]: σ(z) = (z < 0 ? e : 1)/(1 + e), the formula of the vector path.
        double e = Math.Exp(Math.Max(-Math.Abs(z), ExpUnderflow));
        return (z < 0.0 ? e : 1.0) / (1.0 + e);
#endif
    }

#if NET9_0_OR_GREATER
    /// <summary>σ for four values at once, with the formula of the scalar <see cref="Sigmoid(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> z)
    {
        var e = Vector256.Exp(Vector256.Max(-Vector256.Abs(z), Vector256.Create(ExpUnderflow)));
        var one = Vector256<double>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<double>.Zero), e, one) / (one + e);
    }
#endif
}
