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
}
