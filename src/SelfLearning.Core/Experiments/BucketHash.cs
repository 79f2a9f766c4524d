using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// GrowthBook-compatible bucketing: the FNV-1a 32-bit hashes, bucket ranges, variation choice and
/// namespaces of the GrowthBook SDKs (<c>packages/sdk-js/src/util.ts</c>), so a host already using
/// GrowthBook gets the same bucket for the same seed and unit.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written because no package here offers GrowthBook's scheme. The hash runs over UTF-16 code
/// units, exactly like JavaScript's <c>charCodeAt</c> (a character outside the Basic Multilingual
/// Plane contributes its two surrogates), and streams the seed and the value one after the other,
/// so hashing never concatenates strings and allocates nothing.
/// </para>
/// <para>
/// Version 1 (GrowthBook's original, slightly biased): <c>fnv1a32(value + seed) mod 1000 / 1000</c>.
/// Version 2 (unbiased): <c>fnv1a32(decimal(fnv1a32(seed + value))) mod 10000 / 10000</c>.
/// </para>
/// </remarks>
public static class BucketHash
{
    /// <summary>
    /// The most variations <see cref="GetBucketRanges"/> accepts: the finest hash (version 2) has 10,000 buckets,
    /// so more variations could not all receive units. A larger count is refused before anything is allocated.
    /// </summary>
    public const int MaximumVariations = 10_000;

    private const uint FnvOffsetBasis = 0x811C9DC5;
    private const uint FnvPrime = 0x01000193;

    // uint.MaxValue has 10 decimal digits.
    private const int MaxUInt32Digits = 10;

    /// <summary>
    /// Hashes <paramref name="value"/> with <paramref name="seed"/> into [0, 1) the way GrowthBook's
    /// <c>hash(seed, value, version)</c> does.
    /// </summary>
    /// <param name="seed">The experiment seed (GrowthBook uses the experiment key when no seed is set).</param>
    /// <param name="value">The unit id being bucketed (user, patient, session...).</param>
    /// <param name="version">The hashing scheme: 1 or 2.</param>
    /// <returns>The bucket in [0, 1), or <see langword="null"/> for any version other than 1 or 2, as in GrowthBook.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="seed"/> or <paramref name="value"/> is null.</exception>
    public static double? Hash(string seed, string value, int version)
    {
        Guard.NotNull(seed);
        Guard.NotNull(value);
        return version switch
        {
            1 => HashV1(value, seed, ReadOnlySpan<char>.Empty),
            2 => HashV2(seed, value),
            _ => null,
        };
    }

    /// <summary>
    /// Builds GrowthBook's bucket ranges (<c>getBucketRanges</c>): each variation owns
    /// [start, start + coverage·weight) where start is the sum of the previous weights. Because the
    /// starts do not depend on the coverage, lowering the coverage only drops units out of the
    /// experiment and never moves one to another variation.
    /// </summary>
    /// <remarks>
    /// GrowthBook's normalisations are kept for compatibility: coverage is clamped into [0, 1], and
    /// weights that are missing, of the wrong length or that do not sum to 1 ± 0.01 are replaced by
    /// equal weights.
    /// </remarks>
    /// <param name="variations">The number of variations, in [1, <see cref="MaximumVariations"/>].</param>
    /// <param name="coverage">The share of units included in the experiment.</param>
    /// <param name="weights">The share of included units each variation gets, or empty for equal weights.</param>
    /// <returns>One range per variation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="variations"/> is outside [1, <see cref="MaximumVariations"/>], <paramref name="coverage"/> is NaN, or a weight is not finite.
    /// </exception>
    public static BucketRange[] GetBucketRanges(int variations, double coverage, ReadOnlySpan<double> weights)
    {
        Guard.InRange(variations, 1, MaximumVariations);
        if (double.IsNaN(coverage))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, $"'{nameof(coverage)}' must be a number, but is NaN.");
        }

        Guard.AllFinite(weights);
        coverage = Math.Clamp(coverage, 0.0, 1.0);

        bool useEqual = weights.Length != variations;
        if (!useEqual)
        {
            double total = 0.0;
            foreach (double w in weights)
            {
                total += w;
            }

            useEqual = total < ExperimentsConstants.MinimumWeightSum || total > ExperimentsConstants.MaximumWeightSum;
        }

        var ranges = new BucketRange[variations];
        double cumulative = 0.0;
        for (int i = 0; i < variations; i++)
        {
            double w = useEqual ? 1.0 / variations : weights[i];
            double start = cumulative;
            cumulative += w;
            ranges[i] = new BucketRange(start, start + (coverage * w));
        }

        return ranges;
    }

    /// <summary>
    /// GrowthBook's <c>chooseVariation</c>: the index of the first range that holds
    /// <paramref name="bucket"/> (start inclusive, end exclusive), or -1 when none does.
    /// </summary>
    /// <param name="bucket">A bucket from <see cref="Hash"/>.</param>
    /// <param name="ranges">The ranges from <see cref="GetBucketRanges"/>.</param>
    /// <returns>The variation index, or -1 when the unit is outside the experiment.</returns>
    public static int ChooseVariation(double bucket, ReadOnlySpan<BucketRange> ranges)
    {
        for (int i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Contains(bucket))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// GrowthBook's <c>inNamespace</c>: whether <paramref name="unitId"/> falls in the namespace's
    /// slice, using the version-1 hash of the unit with the seed <c>"__" + namespace id</c>.
    /// Experiments whose slices of one namespace do not overlap never share a unit.
    /// </summary>
    /// <param name="unitId">The unit id.</param>
    /// <param name="experimentNamespace">The namespace and the slice the experiment owns.</param>
    /// <returns><see langword="true"/> when the unit's namespace bucket is in [start, end).</returns>
    public static bool InNamespace(string unitId, ExperimentNamespace experimentNamespace)
    {
        Guard.NotNull(unitId);
        Guard.NotNull(experimentNamespace);
        double n = HashV1(unitId, ExperimentsConstants.NamespaceSeedPrefix, experimentNamespace.Id);
        return n >= experimentNamespace.Start && n < experimentNamespace.End;
    }

    /// <summary>Version 1: fnv1a32(value + seedPrefix + seed) mod 1000 / 1000, streamed without concatenation.</summary>
    internal static double HashV1(ReadOnlySpan<char> value, ReadOnlySpan<char> seedPrefix, ReadOnlySpan<char> seed)
    {
        uint h = Fnv1a(FnvOffsetBasis, value);
        h = Fnv1a(h, seedPrefix);
        h = Fnv1a(h, seed);
        return (h % 1000u) / 1000.0;
    }

    /// <summary>Version 2: fnv1a32(decimal(fnv1a32(seed + value))) mod 10000 / 10000, streamed without concatenation.</summary>
    internal static double HashV2(ReadOnlySpan<char> seed, ReadOnlySpan<char> value) => HashV2(SeedState(seed), value);

    /// <summary>The FNV-1a state after the seed, so a router hashing many units with one seed streams the seed once.</summary>
    internal static uint SeedState(ReadOnlySpan<char> seed) => Fnv1a(FnvOffsetBasis, seed);

    /// <summary>Version 2 continuing from <see cref="SeedState"/>.</summary>
    internal static double HashV2(uint seedState, ReadOnlySpan<char> value)
    {
        uint inner = Fnv1a(seedState, value);

        // The decimal text of the inner hash, as JavaScript's `inner + ""` writes it.
        Span<char> digits = stackalloc char[MaxUInt32Digits];
        int start = digits.Length;
        do
        {
            digits[--start] = (char)('0' + (inner % 10u));
            inner /= 10u;
        }
        while (inner != 0u);

        uint outer = Fnv1a(FnvOffsetBasis, digits[start..]);
        return (outer % 10000u) / 10000.0;
    }

    private static uint Fnv1a(uint hash, ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            hash ^= c;
            hash = unchecked(hash * FnvPrime);
        }

        return hash;
    }
}
