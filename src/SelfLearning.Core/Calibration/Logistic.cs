using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SelfLearning.Calibration;

/// <summary>The logistic function, shared by fitting and inference.</summary>
/// <remarks>
/// The scalar function is the vector one on a broadcast value, built only from explicit IEEE
/// operations and fused multiply-adds, so a batch computed four cases at a time equals
/// case-by-case calls bit for bit.
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
        return Sigmoid(Vector256.Create(z)).ToScalar();
    }

    /// <summary>σ for four values at once, with the formula of the scalar <see cref="Sigmoid(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> z)
    {
        var e = ExpNonPositive(-Vector256.Abs(z));
        var one = Vector256<double>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<double>.Zero), e, one) / (one + e);
    }

    /// <summary>
    /// e^x for x ≤ 0 (e.g. −|z|), four at a time, within about one ulp; 0 below <see cref="ExpUnderflow"/>,
    /// subnormal results kept.
    /// </summary>
    /// <remarks>
    /// Hand-written rather than Vector256.Exp: the BCL's is a call that is not inlined, so it costs a call per
    /// four values, and it is built on MultiplyAddEstimate, which fuses or not depending on how the callee was
    /// compiled (ReadyToRun, tier 0, tier 1), so the same input could give results a bit apart over a process's
    /// life. Here every step is an explicit IEEE operation or fused multiply-add, inlined into each caller, so
    /// the scalar and batch paths agree bit for bit. Method: x = k·ln 2 + r with k = round(x/ln 2) (Cody–Waite
    /// split of ln 2, as fdlibm), |r| ≤ ln 2 / 2, e^r by its degree-13 Taylor polynomial (truncation below
    /// 5e-18), then 2^k applied as two exact powers of two so results down to the smallest subnormal survive.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpNonPositive(Vector256<double> x)
    {
        const double Log2E = 1.4426950408889634;
        const double Ln2High = 6.93147180369123816490e-01;
        const double Ln2Low = 1.90821492927058770002e-10;
        // 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits.
        const double Shifter = 6755399441055744.0;

        x = Vector256.Max(x, Vector256.Create(ExpUnderflow));
        var shifter = Vector256.Create(Shifter);
        var k = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), shifter) - shifter;
        var r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2High), x);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Low), r);

        // Σ rⁿ/n! for n = 0 … 13 by Horner's rule.
        var p = Vector256.Create(1.0 / 6227020800.0);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 479001600.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 39916800.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 3628800.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 362880.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 40320.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 5040.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 720.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 120.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 24.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 6.0));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);

        // 2^k = 2^k₁ · 2^(k − k₁) with k₁ = ⌊k/2⌋: both factors are normal for k ≥ −1076, and multiplying
        // by a power of two is exact except where the result itself is subnormal.
        var k1 = Vector256.Floor(k * 0.5);
        return p * PowerOfTwo(k1, shifter) * PowerOfTwo(k - k1, shifter);
    }

    /// <summary>
    /// log(1 + e) for 0 ≤ e ≤ 1 (e.g. e^−|z| in the logistic loss), four at a time, within about one ulp of the result;
    /// inlined, unlike Vector256.Log, which is a call per four values in the fitting loop.
    /// </summary>
    /// <remarks>
    /// fdlibm's <c>log1p</c> reduction on this interval: 1 + e = 2^k·(1 + f) with k = 0, f = e for e ≤ √2 − 1 and
    /// k = 1, f = (e − 1)/2 (exact) above, so −0.293 &lt; f ≤ 0.415; then log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with
    /// s = f/(2 + f) and fdlibm's degree-14 minimax R (its <c>Lg1</c>…<c>Lg7</c>). Working from e rather than the
    /// rounded 1 + e keeps small e exact.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogOnePlusUnit(Vector256<double> e)
    {
        const double Lg1 = 6.666666666666735130e-01;
        const double Lg2 = 3.999999999940941908e-01;
        const double Lg3 = 2.857142874366239149e-01;
        const double Lg4 = 2.222219843214978396e-01;
        const double Lg5 = 1.818357216161805012e-01;
        const double Lg6 = 1.531383769920937332e-01;
        const double Lg7 = 1.479819860511658591e-01;
        const double Ln2 = 0.6931471805599453;
        const double SqrtTwoMinusOne = 0.41421356237309503;

        var above = Vector256.GreaterThan(e, Vector256.Create(SqrtTwoMinusOne));
        var f = Vector256.ConditionalSelect(above, (e - Vector256<double>.One) * 0.5, e);
        var k = Vector256.ConditionalSelect(above, Vector256.Create(Ln2), Vector256<double>.Zero);
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var r = Vector256.FusedMultiplyAdd(Vector256.Create(Lg7), z, Vector256.Create(Lg6));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(Lg5));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(Lg4));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(Lg3));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(Lg2));
        r = Vector256.FusedMultiplyAdd(r, z, Vector256.Create(Lg1)) * z;
        var halfSquare = 0.5 * f * f;
        return k + (f - (halfSquare - (s * (halfSquare + r))));
    }

    /// <summary>2^k for integral k in the normal exponent range: the exponent bits (k + 1023) shifted into place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> PowerOfTwo(Vector256<double> k, Vector256<double> shifter)
    {
        var integer = (k + shifter).AsInt64() - shifter.AsInt64();
        return Vector256.ShiftLeft(integer + Vector256.Create(1023L), 52).AsDouble();
    }
}
