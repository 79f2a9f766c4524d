namespace SelfLearning.Privacy;

/// <summary>Lowercase hexadecimal text (<c>Convert.ToHexStringLower</c> exists only from .NET 9).</summary>
internal static class LowerHex
{
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> chars = bytes.Length <= 128 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
