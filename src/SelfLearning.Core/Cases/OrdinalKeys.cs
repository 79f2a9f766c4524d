using System.Buffers.Binary;

namespace SelfLearning.Cases;

/// <summary>
/// A string as its UTF-16 code units, big-endian: compared byte by byte, then by length (as SQLite compares BLOBs and
/// PostgreSQL bytea), these bytes order exactly as <see cref="string.CompareOrdinal(string, string)"/>, the order of
/// <see cref="CaseWatermark"/>; and they hold any string, U+0000 and unpaired surrogates included.
/// </summary>
internal static class OrdinalKeys
{
    public static byte[] From(string text)
    {
        var key = new byte[text.Length * sizeof(char)];
        for (int i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(i * sizeof(char)), text[i]);
        }

        return key;
    }

    public static string ToText(byte[] key) => string.Create(key.Length / sizeof(char), key, static (chars, bytes) =>
    {
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i * sizeof(char)));
        }
    });
}
