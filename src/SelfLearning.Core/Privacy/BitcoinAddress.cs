using System.Security.Cryptography;

namespace SelfLearning.Privacy;

/// <summary>
/// Checks a Bitcoin address's checksum: Base58Check for legacy (P2PKH, version 0) and script
/// (P2SH, version 5) addresses, and BIP 173 bech32 / BIP 350 bech32m for SegWit addresses.
/// </summary>
/// <remarks>
/// Hand-written from the BIPs: no library served here decodes Bitcoin addresses, and the checks
/// are short. Allocation-free; every buffer is on the stack.
/// </remarks>
internal static class BitcoinAddress
{
    private const int Base58PayloadLength = 25;
    private const int ChecksumLength = 4;
    private const byte PayToPublicKeyHashVersion = 0x00;
    private const byte PayToScriptHashVersion = 0x05;
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Bech32Alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const int Bech32ChecksumLength = 6;
    private const int MaxBech32Length = 90;
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    // BIP 173's generator of the BCH code over GF(32).
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Whether <paramref name="candidate"/> is a mainnet Bitcoin address whose checksum holds.</summary>
    public static bool IsValid(ReadOnlySpan<char> candidate) =>
        candidate.Length > 3 && (candidate[..3].Equals("bc1", StringComparison.OrdinalIgnoreCase)
            ? IsSegWit(candidate)
            : IsBase58Check(candidate));

    private static bool IsBase58Check(ReadOnlySpan<char> candidate)
    {
        // Decode into a fixed 25-byte big-endian number; more would overflow and is not an address.
        Span<byte> payload = stackalloc byte[Base58PayloadLength];
        payload.Clear();
        foreach (char c in candidate)
        {
            int carry = Base58Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (carry < 0)
            {
                return false;
            }

            for (int i = Base58PayloadLength - 1; i >= 0; i--)
            {
                carry += payload[i] * 58;
                payload[i] = (byte)carry;
                carry >>= 8;
            }

            if (carry != 0)
            {
                return false;
            }
        }

        // Each leading '1' stands for one leading zero byte, and the decoded length must be exactly 25.
        int leadingOnes = candidate.IndexOfAnyExcept('1');
        int leadingZeros = payload.IndexOfAnyExcept((byte)0);
        if (leadingOnes < 0 || leadingZeros < 0 || leadingOnes != leadingZeros)
        {
            return false;
        }

        if (payload[0] is not (PayToPublicKeyHashVersion or PayToScriptHashVersion))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload[..^ChecksumLength], hash);
        SHA256.HashData(hash, hash);
        return hash[..ChecksumLength].SequenceEqual(payload[^ChecksumLength..]);
    }

    private static bool IsSegWit(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length > MaxBech32Length || (candidate.ContainsAnyInRange('a', 'z') && candidate.ContainsAnyInRange('A', 'Z')))
        {
            return false;
        }

        // The human-readable part is "bc"; the separator is the last '1'.
        if (candidate.LastIndexOf('1') != 2)
        {
            return false;
        }

        ReadOnlySpan<char> data = candidate[3..];
        if (data.Length < Bech32ChecksumLength + 1)
        {
            return false;
        }

        Span<byte> values = stackalloc byte[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int value = Bech32Alphabet.IndexOf(char.ToLowerInvariant(data[i]), StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            values[i] = (byte)value;
        }

        // The expanded human-readable part of "bc": high bits of each character, a zero, low bits.
        uint checksum = 1;
        foreach (byte value in (ReadOnlySpan<byte>)[(byte)('b' >> 5), (byte)('c' >> 5), 0, (byte)('b' & 31), (byte)('c' & 31)])
        {
            checksum = PolymodStep(checksum, value);
        }

        foreach (byte value in values)
        {
            checksum = PolymodStep(checksum, value);
        }

        int version = values[0];
        if (version > 16 || checksum != (version == 0 ? Bech32Constant : Bech32mConstant))
        {
            return false;
        }

        // The witness program: 5-bit groups regrouped into bytes, with fewer than 5 zero padding bits.
        int groups = values.Length - 1 - Bech32ChecksumLength;
        int bits = groups * 5;
        int padding = bits % 8;
        int programLength = bits / 8;
        if (padding >= 5 || (groups > 0 && (values[groups] & ((1 << padding) - 1)) != 0))
        {
            return false;
        }

        return version == 0 ? programLength is 20 or 32 : programLength is >= 2 and <= 40;
    }

    private static uint PolymodStep(uint checksum, byte value)
    {
        uint top = checksum >> 25;
        checksum = ((checksum & 0x1ffffff) << 5) ^ value;
        for (int i = 0; i < Generator.Length; i++)
        {
            if (((top >> i) & 1) != 0)
            {
                checksum ^= Generator[i];
            }
        }

        return checksum;
    }
}
