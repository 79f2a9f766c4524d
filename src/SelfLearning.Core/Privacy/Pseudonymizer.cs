using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SelfLearning.Internal;

namespace SelfLearning.Privacy;

/// <summary>
/// Keyed pseudonymisation: HMAC-SHA256 of a value under the host's secret key. The same value and
/// purpose always give the same pseudonym, so cases stay linkable, but without the key a pseudonym
/// cannot be reversed or recomputed from a guessed value. Thread-safe.
/// </summary>
/// <remarks>
/// There is no built-in key: a library default would be public, and anyone could recompute the
/// pseudonyms of guessed ids. Rotating the key changes every pseudonym (and therefore dataset
/// versions and splits).
/// </remarks>
public sealed class Pseudonymizer
{
    /// <summary>The shortest key accepted, in bytes (128 bits).</summary>
    public const int MinimumKeyBytes = 16;

    private const int PseudonymBytes = 16;
    private readonly byte[] key;

    /// <summary>SHA-256 states after the key's inner and outer pad blocks (8 words each), for pseudonymising in lanes.</summary>
    private readonly uint[] keyStates;

    [ThreadStatic]
    private static IncrementalHash? threadHmac;

    [ThreadStatic]
    private static Pseudonymizer? threadOwner;

    /// <summary>Initializes a new instance of the <see cref="Pseudonymizer"/> class.</summary>
    /// <param name="key">The secret key, at least <see cref="MinimumKeyBytes"/> bytes.</param>
    /// <exception cref="ArgumentException">The key is too short.</exception>
    public Pseudonymizer(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException(
                $"'{nameof(key)}' has {key.Length} bytes; a pseudonymisation key needs at least {MinimumKeyBytes} (32 recommended).",
                nameof(key));
        }

        this.key = key.ToArray();
        keyStates = KeyStates(this.key);
        KeyFingerprint = LowerHex.Encode(HMACSHA256.HashData(this.key, "SelfLearning.KeyFingerprint"u8).AsSpan(0, 4));
    }

    /// <summary>
    /// Gets a short public fingerprint of the key (HMAC of a fixed label, 8 hex digits), recorded in
    /// dataset manifests to tell which key made the pseudonyms; it does not reveal the key.
    /// </summary>
    public string KeyFingerprint { get; }

    /// <summary>Creates a pseudonymizer from a Base64-encoded key, as held in options.</summary>
    /// <param name="base64Key">The Base64 key; required.</param>
    /// <param name="parameterName">The name reported when the key is missing or invalid.</param>
    /// <returns>The pseudonymizer.</returns>
    /// <exception cref="ArgumentException">The key is missing, not Base64, or too short.</exception>
    public static Pseudonymizer FromBase64(string? base64Key, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
        {
            throw new ArgumentException(
                $"'{parameterName}' is required: set a secret Base64 key of at least {MinimumKeyBytes} bytes (e.g. from a secret store). There is deliberately no default key.",
                parameterName);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64Key);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"'{parameterName}' is not valid Base64.", parameterName, e);
        }

        if (bytes.Length < MinimumKeyBytes)
        {
            throw new ArgumentException(
                $"'{parameterName}' decodes to {bytes.Length} bytes; a pseudonymisation key needs at least {MinimumKeyBytes} (32 recommended).",
                parameterName);
        }

        return new Pseudonymizer(bytes);
    }

    /// <summary>
    /// Pseudonymises many values for one purpose, each exactly as <see cref="Pseudonymize(string, string)"/> would: the
    /// HMACs of all values whose message fits in one SHA-256 block are computed side by side in vector lanes
    /// (<see cref="Sha256Lanes"/>), the rest one at a time.
    /// </summary>
    /// <param name="values">The identifying values.</param>
    /// <param name="purpose">What kind of values they are.</param>
    /// <param name="pseudonyms">Receives the pseudonym of each value, at its index.</param>
    internal void Pseudonymize(ReadOnlySpan<string> values, string purpose, Span<string> pseudonyms)
    {
        Guard.NotNull(purpose);
        if (pseudonyms.Length < values.Length)
        {
            throw new ArgumentException($"'{nameof(pseudonyms)}' holds {pseudonyms.Length} items; {values.Length} are needed.", nameof(pseudonyms));
        }

        if (!Sha256Lanes.IsAccelerated)
        {
            for (int i = 0; i < values.Length; i++)
            {
                pseudonyms[i] = Pseudonymize(values[i], purpose);
            }

            return;
        }

        int prefixLength = Encoding.UTF8.GetByteCount(purpose) + 1;
        Span<byte> prefix = prefixLength <= 256 ? stackalloc byte[prefixLength] : new byte[prefixLength];
        Encoding.UTF8.GetBytes(purpose, prefix);
        prefix[^1] = 0;

        for (int first = 0; first < values.Length; first += Sha256Lanes.Batch)
        {
            int count = Math.Min(Sha256Lanes.Batch, values.Length - first);
            PseudonymizeInLanes(values.Slice(first, count), first, purpose, prefix, pseudonyms.Slice(first, count));
        }
    }

    /// <summary>One batch of <see cref="Pseudonymize(ReadOnlySpan{string}, string, Span{string})"/>, its buffers on the stack.</summary>
    private void PseudonymizeInLanes(ReadOnlySpan<string> values, int offset, string purpose, ReadOnlySpan<byte> prefix, Span<string> pseudonyms)
    {
        Span<byte> blocks = stackalloc byte[Sha256Lanes.Batch * Sha256Lanes.BlockBytes];
        Span<uint> states = stackalloc uint[Sha256Lanes.Batch * Sha256Lanes.StateWords];
        Span<int> slots = stackalloc int[Sha256Lanes.Batch];

        // The inner hash: one block of purpose, separator and value after the key's inner pad block.
        int packed = 0;
        for (int i = 0; i < values.Length; i++)
        {
            string value = values[i] ?? throw new ArgumentNullException(nameof(values), string.Create(CultureInfo.InvariantCulture, $"'{nameof(values)}' holds null at index {offset + i}."));
            if (Sha256Lanes.TryPack(prefix, value, blocks.Slice(packed * Sha256Lanes.BlockBytes, Sha256Lanes.BlockBytes), Sha256Lanes.BlockBytes))
            {
                slots[packed++] = i;
            }
            else
            {
                pseudonyms[i] = Pseudonymize(value, purpose);
            }
        }

        Span<byte> packedBlocks = blocks[..(packed * Sha256Lanes.BlockBytes)];
        Span<uint> packedStates = states[..(packed * Sha256Lanes.StateWords)];
        Sha256Lanes.Compress(keyStates.AsSpan(0, Sha256Lanes.StateWords), packedBlocks, packedStates);

        // The outer hash: one block of the inner digest after the key's outer pad block.
        for (int k = 0; k < packed; k++)
        {
            Span<byte> block = packedBlocks.Slice(k * Sha256Lanes.BlockBytes, Sha256Lanes.BlockBytes);
            Sha256Lanes.WriteDigest(packedStates.Slice(k * Sha256Lanes.StateWords, Sha256Lanes.StateWords), block, HMACSHA256.HashSizeInBytes);
            Sha256Lanes.Pad(block, HMACSHA256.HashSizeInBytes, Sha256Lanes.BlockBytes);
        }

        Sha256Lanes.Compress(keyStates.AsSpan(Sha256Lanes.StateWords, Sha256Lanes.StateWords), packedBlocks, packedStates);
        Span<byte> mac = stackalloc byte[PseudonymBytes];
        for (int k = 0; k < packed; k++)
        {
            Sha256Lanes.WriteDigest(packedStates.Slice(k * Sha256Lanes.StateWords, Sha256Lanes.StateWords), mac, PseudonymBytes);
            pseudonyms[slots[k]] = LowerHex.Encode(mac);
        }

        blocks.Clear();
    }

    /// <summary>Returns the pseudonym of <paramref name="value"/> for <paramref name="purpose"/>.</summary>
    /// <param name="value">The identifying value.</param>
    /// <param name="purpose">
    /// What kind of value it is (e.g. <c>case</c>, <c>reviewer</c>, an attribute name); the same value
    /// gets different pseudonyms for different purposes, so ids cannot be joined across kinds.
    /// </param>
    /// <returns>32 lowercase hex digits (128 bits of the HMAC).</returns>
    public string Pseudonymize(string value, string purpose)
    {
        Guard.NotNull(value);
        Guard.NotNull(purpose);
        int length = Encoding.UTF8.GetByteCount(purpose) + 1 + Encoding.UTF8.GetByteCount(value);
        Span<byte> message = length <= 512 ? stackalloc byte[length] : new byte[length];
        int written = Encoding.UTF8.GetBytes(purpose, message);
        message[written++] = 0;
        Encoding.UTF8.GetBytes(value, message[written..]);

        // One keyed hash per thread, reused: setting the key up on every call costs more than the hash.
        if (!ReferenceEquals(threadOwner, this) || threadHmac is null)
        {
            threadHmac?.Dispose();
            threadHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            threadOwner = this;
        }

        IncrementalHash hash = threadHmac;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hash.AppendData(message);
        hash.GetHashAndReset(mac);
        return LowerHex.Encode(mac[..PseudonymBytes]);
    }

    /// <summary>The SHA-256 states after HMAC's inner (key ⊕ 0x36) and outer (key ⊕ 0x5c) pad blocks (RFC 2104).</summary>
    private static uint[] KeyStates(byte[] key)
    {
        var states = new uint[2 * Sha256Lanes.StateWords];
        if (!Sha256Lanes.IsAccelerated)
        {
            return states;
        }

        Span<byte> pads = stackalloc byte[2 * Sha256Lanes.BlockBytes];
        ReadOnlySpan<byte> blockKey = key.Length > Sha256Lanes.BlockBytes ? SHA256.HashData(key) : key;
        for (int i = 0; i < Sha256Lanes.BlockBytes; i++)
        {
            byte k = i < blockKey.Length ? blockKey[i] : (byte)0;
            pads[i] = (byte)(k ^ 0x36);
            pads[Sha256Lanes.BlockBytes + i] = (byte)(k ^ 0x5c);
        }

        Sha256Lanes.Compress(Sha256Lanes.InitialState, pads, states);
        CryptographicOperations.ZeroMemory(pads);
        return states;
    }
}
