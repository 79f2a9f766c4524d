using System.Runtime.CompilerServices;
using System.Text;

namespace SelfLearning.Cases;

/// <summary>
/// Reads RFC 4180 records from text, streamed: fields separated by commas, records by CRLF (a lone LF
/// is accepted), quoted fields may hold commas, quotes (doubled) and line breaks. An unquoted empty
/// field is returned as <see langword="null"/>, a quoted empty field as the empty string.
/// </summary>
internal static class CsvRecordReader
{
    private const int BufferSize = 16 * 1024;

    public static async IAsyncEnumerable<IReadOnlyList<string?>> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        char[] buffer = new char[BufferSize];
        var fields = new List<string?>();
        var field = new StringBuilder();
        bool inQuotes = false;
        bool quoted = false;
        bool quoteSeen = false;
        bool pendingCarriageReturn = false;
        bool recordHasContent = false;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                char c = buffer[i];
                if (inQuotes)
                {
                    if (quoteSeen)
                    {
                        quoteSeen = false;
                        if (c == '"')
                        {
                            field.Append('"');
                            continue;
                        }

                        inQuotes = false;
                    }
                    else if (c == '"')
                    {
                        quoteSeen = true;
                        continue;
                    }
                    else
                    {
                        field.Append(c);
                        continue;
                    }
                }

                if (pendingCarriageReturn)
                {
                    pendingCarriageReturn = false;
                    if (c == '\n')
                    {
                        continue;
                    }
                }

                switch (c)
                {
                    case '"' when field.Length == 0 && !quoted:
                        inQuotes = quoted = recordHasContent = true;
                        break;
                    case ',':
                        fields.Add(Take(field, quoted));
                        quoted = false;
                        recordHasContent = true;
                        break;
                    case '\r' or '\n':
                        pendingCarriageReturn = c == '\r';
                        if (recordHasContent || field.Length > 0)
                        {
                            fields.Add(Take(field, quoted));
                            yield return fields.ToArray();
                        }

                        fields.Clear();
                        quoted = false;
                        recordHasContent = false;
                        break;
                    default:
                        field.Append(c);
                        recordHasContent = true;
                        break;
                }
            }
        }

        if (inQuotes && !quoteSeen)
        {
            throw new InvalidDataException("The CSV ends inside a quoted field.");
        }

        if (recordHasContent || field.Length > 0)
        {
            fields.Add(Take(field, quoted));
            yield return fields.ToArray();
        }
    }

    private static string? Take(StringBuilder field, bool quoted)
    {
        string? value = field.Length == 0 && !quoted ? null : field.ToString();
        field.Clear();
        return value;
    }
}
