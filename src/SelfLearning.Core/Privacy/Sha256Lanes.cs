using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SelfLearning.Privacy;

/// <summary>
/// The SHA-256 compression function (FIPS 180-4, section 6.2.2) applied to many independent blocks at once, one block
/// per SIMD lane: 16 lanes with AVX-512, 8 with 256-bit vectors. A collection hashes every case id twice (its HMAC
/// pseudonym, then its split position), and through the platform's one-message API each short hash costs 0.5–0.8 µs,
/// almost all of it call overhead; here a block costs a few dozen nanoseconds.
/// </summary>
/// <remarks>
/// Hand-written because no library served here hashes many messages at once. It is only the compression function;
/// callers build the padded blocks, so every digest it gives is checked in the tests against the platform's
/// <c>SHA256</c> and <c>HMACSHA256</c> on random messages of every length that fits in one block. Where no vector
/// hardware is present <see cref="IsAccelerated"/> is false and callers use the platform's API instead.
/// </remarks>
internal static class Sha256Lanes
{
    /// <summary>Bytes in one SHA-256 block.</summary>
    public const int BlockBytes = 64;

    /// <summary>The longest message that fits, with its padding, in one block.</summary>
    public const int MaxOneBlockMessage = 55;

    /// <summary>How many messages a caller packs at once, so its blocks and states fit on the stack (12 KB).</summary>
    public const int Batch = 128;

    /// <summary>Words (32-bit) in a SHA-256 state.</summary>
    public const int StateWords = 8;

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Gets the initial hash value H⁽⁰⁾ of SHA-256.</summary>
    public static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>Gets a value indicating whether blocks are compressed in vector lanes here (else callers hash one message at a time).</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Writes the padding of a message of <paramref name="length"/> bytes already at the start of <paramref name="block"/>
    /// (0x80, zeros, then the bit length of everything hashed, <paramref name="bytesBefore"/> included, big-endian).
    /// </summary>
    /// <param name="block">The 64-byte block.</param>
    /// <param name="length">The message bytes at the start of the block, at most <see cref="MaxOneBlockMessage"/>.</param>
    /// <param name="bytesBefore">Bytes hashed in earlier blocks (64 after an HMAC key block).</param>
    public static void Pad(Span<byte> block, int length, int bytesBefore)
    {
        block[length] = 0x80;
        block[(length + 1)..(BlockBytes - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(block[(BlockBytes - 8)..], (ulong)(bytesBefore + length) * 8);
    }

    /// <summary>
    /// Writes <paramref name="prefix"/> then the UTF-8 of <paramref name="value"/> at the start of <paramref name="block"/>
    /// and pads them, when they fit in one block.
    /// </summary>
    /// <param name="prefix">Bytes before the value (a purpose and its separator), or none.</param>
    /// <param name="value">The text; unpaired surrogates become U+FFFD as <see cref="System.Text.Encoding.UTF8"/> writes them.</param>
    /// <param name="block">The 64-byte block.</param>
    /// <param name="bytesBefore">Bytes hashed in earlier blocks.</param>
    /// <returns>Whether the message fit; when not, the caller hashes it the platform's way.</returns>
    public static bool TryPack(ReadOnlySpan<byte> prefix, string value, Span<byte> block, int bytesBefore)
    {
        if (prefix.Length > MaxOneBlockMessage ||
            value.Length > MaxOneBlockMessage ||
            !System.Text.Encoding.UTF8.TryGetBytes(value, block[prefix.Length..MaxOneBlockMessage], out int written))
        {
            return false;
        }

        prefix.CopyTo(block);
        Pad(block, prefix.Length + written, bytesBefore);
        return true;
    }

    /// <summary>
    /// Compresses each 64-byte block of <paramref name="blocks"/> into <paramref name="start"/>, the same starting state
    /// for all: state <c>i</c> of <paramref name="states"/> is the state after block <c>i</c>.
    /// </summary>
    /// <param name="start">The 8-word starting state (<see cref="InitialState"/>, or an HMAC key block's state).</param>
    /// <param name="blocks">The blocks, 64 bytes each.</param>
    /// <param name="states">Receives 8 words per block.</param>
    public static void Compress(ReadOnlySpan<uint> start, ReadOnlySpan<byte> blocks, Span<uint> states) =>
        Compress(start, blocks, states, wide: Vector512.IsHardwareAccelerated);

    /// <summary>As <see cref="Compress(ReadOnlySpan{uint}, ReadOnlySpan{byte}, Span{uint})"/>, in 16 lanes or in 8, so tests check both widths on any machine.</summary>
    /// <param name="start">The 8-word starting state.</param>
    /// <param name="blocks">The blocks, 64 bytes each.</param>
    /// <param name="states">Receives 8 words per block.</param>
    /// <param name="wide">Whether to use 512-bit vectors (16 lanes) rather than 256-bit ones (8 lanes).</param>
    internal static void Compress(ReadOnlySpan<uint> start, ReadOnlySpan<byte> blocks, Span<uint> states, bool wide)
    {
        int count = blocks.Length / BlockBytes;
        if (wide)
        {
            CompressAll<Lanes512, Vector512<uint>>(start, blocks, states[..(count * StateWords)]);
        }
        else
        {
            CompressAll<Lanes256, Vector256<uint>>(start, blocks, states[..(count * StateWords)]);
        }
    }

    /// <summary>Writes the first <paramref name="bytes"/> bytes of a state as the digest's bytes (big-endian words).</summary>
    /// <param name="state">The 8-word state.</param>
    /// <param name="destination">Receives the bytes.</param>
    /// <param name="bytes">How many bytes, a multiple of 4.</param>
    public static void WriteDigest(ReadOnlySpan<uint> state, Span<byte> destination, int bytes)
    {
        for (int i = 0; i < bytes / 4; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], state[i]);
        }
    }

    private static void CompressAll<TLanes, TVector>(ReadOnlySpan<uint> start, ReadOnlySpan<byte> blocks, Span<uint> states)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        int lanes = TLanes.Count;
        int count = blocks.Length / BlockBytes;
        Span<uint> words = stackalloc uint[16 * 16];
        Span<uint> lane = stackalloc uint[16];
        Span<TVector> schedule = stackalloc TVector[64];
        Span<TVector> state = stackalloc TVector[StateWords];
        for (int first = 0; first < count; first += lanes)
        {
            int filled = Math.Min(lanes, count - first);

            // Transpose: word t of every lane's block side by side, so one vector holds word t of all lanes.
            words.Clear();
            for (int j = 0; j < filled; j++)
            {
                ReadOnlySpan<byte> block = blocks.Slice((first + j) * BlockBytes, BlockBytes);
                for (int t = 0; t < 16; t++)
                {
                    words[(t * lanes) + j] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * t)..]);
                }
            }

            for (int t = 0; t < 16; t++)
            {
                schedule[t] = TLanes.Load(words.Slice(t * lanes, lanes));
            }

            for (int i = 0; i < StateWords; i++)
            {
                state[i] = TLanes.Create(start[i]);
            }

            Rounds<TLanes, TVector>(schedule, state);
            for (int i = 0; i < StateWords; i++)
            {
                TLanes.Store(TLanes.Add(state[i], TLanes.Create(start[i])), lane);
                for (int j = 0; j < filled; j++)
                {
                    states[((first + j) * StateWords) + i] = lane[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Rounds<TLanes, TVector>(Span<TVector> w, Span<TVector> state)
        where TLanes : ILanes<TVector>
        where TVector : unmanaged
    {
        for (int t = 16; t < 64; t++)
        {
            TVector w15 = w[t - 15];
            TVector w2 = w[t - 2];
            TVector s0 = TLanes.Xor(TLanes.Xor(TLanes.RotateRight(w15, 7), TLanes.RotateRight(w15, 18)), TLanes.ShiftRight(w15, 3));
            TVector s1 = TLanes.Xor(TLanes.Xor(TLanes.RotateRight(w2, 17), TLanes.RotateRight(w2, 19)), TLanes.ShiftRight(w2, 10));
            w[t] = TLanes.Add(TLanes.Add(w[t - 16], s0), TLanes.Add(w[t - 7], s1));
        }

        TVector a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        ReadOnlySpan<uint> k = RoundConstants;
        for (int t = 0; t < 64; t++)
        {
            TVector bigSigma1 = TLanes.Xor(TLanes.Xor(TLanes.RotateRight(e, 6), TLanes.RotateRight(e, 11)), TLanes.RotateRight(e, 25));
            TVector choose = TLanes.Xor(TLanes.And(e, f), TLanes.AndNot(g, e));
            TVector t1 = TLanes.Add(TLanes.Add(TLanes.Add(h, bigSigma1), TLanes.Add(choose, TLanes.Create(k[t]))), w[t]);
            TVector bigSigma0 = TLanes.Xor(TLanes.Xor(TLanes.RotateRight(a, 2), TLanes.RotateRight(a, 13)), TLanes.RotateRight(a, 22));
            TVector majority = TLanes.Xor(TLanes.And(a, TLanes.Xor(b, c)), TLanes.And(b, c));
            h = g;
            g = f;
            f = e;
            e = TLanes.Add(d, t1);
            d = c;
            c = b;
            b = a;
            a = TLanes.Add(t1, TLanes.Add(bigSigma0, majority));
        }

        (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]) = (a, b, c, d, e, f, g, h);
    }

    /// <summary>The lane operations the rounds need, for one vector width; a struct per width so each is compiled apart.</summary>
    private interface ILanes<TVector>
        where TVector : unmanaged
    {
        static abstract int Count { get; }

        static abstract TVector Create(uint value);

        static abstract TVector Load(ReadOnlySpan<uint> source);

        static abstract void Store(TVector value, Span<uint> destination);

        static abstract TVector Add(TVector x, TVector y);

        static abstract TVector Xor(TVector x, TVector y);

        static abstract TVector And(TVector x, TVector y);

        /// <summary><paramref name="x"/> and not <paramref name="y"/>.</summary>
        static abstract TVector AndNot(TVector x, TVector y);

        static abstract TVector RotateRight(TVector x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count);

        static abstract TVector ShiftRight(TVector x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count);
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct Lanes512 : ILanes<Vector512<uint>>
    {
        public static int Count => Vector512<uint>.Count;

        public static Vector512<uint> Create(uint value) => Vector512.Create(value);

        public static Vector512<uint> Load(ReadOnlySpan<uint> source) => Vector512.Create(source);

        public static void Store(Vector512<uint> value, Span<uint> destination) => value.CopyTo(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Add(Vector512<uint> x, Vector512<uint> y) => x + y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> Xor(Vector512<uint> x, Vector512<uint> y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> And(Vector512<uint> x, Vector512<uint> y) => x & y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> AndNot(Vector512<uint> x, Vector512<uint> y) => Vector512.AndNot(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> RotateRight(Vector512<uint> x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count) =>
            Avx512F.IsSupported ? Avx512F.RotateRight(x, count) : Vector512.ShiftRightLogical(x, count) | Vector512.ShiftLeft(x, 32 - count);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<uint> ShiftRight(Vector512<uint> x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count) => Vector512.ShiftRightLogical(x, count);
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly struct Lanes256 : ILanes<Vector256<uint>>
    {
        public static int Count => Vector256<uint>.Count;

        public static Vector256<uint> Create(uint value) => Vector256.Create(value);

        public static Vector256<uint> Load(ReadOnlySpan<uint> source) => Vector256.Create(source);

        public static void Store(Vector256<uint> value, Span<uint> destination) => value.CopyTo(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Add(Vector256<uint> x, Vector256<uint> y) => x + y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> Xor(Vector256<uint> x, Vector256<uint> y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> And(Vector256<uint> x, Vector256<uint> y) => x & y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> AndNot(Vector256<uint> x, Vector256<uint> y) => Vector256.AndNot(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> RotateRight(Vector256<uint> x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count) =>
            Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, count) : Vector256.ShiftRightLogical(x, count) | Vector256.ShiftLeft(x, 32 - count);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<uint> ShiftRight(Vector256<uint> x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte count) => Vector256.ShiftRightLogical(x, count);
    }
}
