using System.Buffers.Binary;
using System.Numerics;

namespace SelfLearning.Cases;

/// <summary>
/// SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, 2012): a keyed hash that, under a secret
/// random key, gives ids a 128-bit key no input can be crafted to collide with, at a small fraction
/// of the cost of SHA-256.
/// </summary>
/// <remarks>
/// Hand-written: the BCL has no SipHash, and <c>System.IO.Hashing</c> (XxHash128) is not among the
/// packages served here. Follows the reference implementation (github.com/veorq/SipHash) and is
/// checked against its <c>vectors_sip128</c> table.
/// </remarks>
internal readonly struct SipHash128
{
    private const int CompressionRounds = 2;
    private const int FinalizationRounds = 4;
    private readonly ulong k0;
    private readonly ulong k1;

    /// <summary>Initializes a new instance of the <see cref="SipHash128"/> struct.</summary>
    /// <param name="key">The 16-byte key.</param>
    public SipHash128(ReadOnlySpan<byte> key)
    {
        k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
    }

    /// <summary>The 128-bit tag of <paramref name="data"/>: the reference output's first 8 bytes are the low half, read little-endian.</summary>
    public UInt128 Hash(ReadOnlySpan<byte> data)
    {
        ulong v0 = k0 ^ 0x736f6d6570736575UL;
        ulong v1 = k1 ^ 0x646f72616e646f6dUL ^ 0xee;
        ulong v2 = k0 ^ 0x6c7967656e657261UL;
        ulong v3 = k1 ^ 0x7465646279746573UL;

        int whole = data.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Rounds(CompressionRounds, ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        ulong last = (ulong)data.Length << 56;
        ReadOnlySpan<byte> tail = data[whole..];
        for (int i = 0; i < tail.Length; i++)
        {
            last |= (ulong)tail[i] << (8 * i);
        }

        v3 ^= last;
        Rounds(CompressionRounds, ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xee;
        Rounds(FinalizationRounds, ref v0, ref v1, ref v2, ref v3);
        ulong low = v0 ^ v1 ^ v2 ^ v3;
        v1 ^= 0xdd;
        Rounds(FinalizationRounds, ref v0, ref v1, ref v2, ref v3);
        ulong high = v0 ^ v1 ^ v2 ^ v3;
        return new UInt128(high, low);
    }

    private static void Rounds(int count, ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        for (int r = 0; r < count; r++)
        {
            v0 += v1;
            v1 = BitOperations.RotateLeft(v1, 13);
            v1 ^= v0;
            v0 = BitOperations.RotateLeft(v0, 32);
            v2 += v3;
            v3 = BitOperations.RotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = BitOperations.RotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = BitOperations.RotateLeft(v1, 17);
            v1 ^= v2;
            v2 = BitOperations.RotateLeft(v2, 32);
        }
    }
}
