namespace SelfLearning.Experiments;

/// <summary>
/// A 64-bit FNV-1a fingerprint of a unit id (over its UTF-16 code units), so the in-memory store can
/// remember a unit in 8 bytes instead of its string. Written by hand: the BCL's <see cref="HashCode"/> is
/// 32-bit and seeded per process, and System.IO.Hashing is not among this package's dependencies. Two
/// distinct ids collide with probability about n² / 2⁶⁵ (under 3·10⁻⁶ for ten million units).
/// </summary>
internal static class UnitFingerprint
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string unitId)
    {
        ulong hash = OffsetBasis;
        foreach (char c in unitId)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return hash;
    }
}
