using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace SelfLearning.Sqlite.Tests.Migrations;

/// <summary>Reads a database file behind the stores' backs: single values, row counts, and a full text dump.</summary>
internal static class SqliteDatabaseFile
{
    public static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<string> Strings(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    /// <summary>The names of the tables, indexes and triggers in the file (SQLite's own excepted).</summary>
    public static List<string> Objects(string path) =>
        Strings(path, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name;");

    public static long Count(string path, string table) => (long)Scalar(path, $"SELECT count(*) FROM \"{table}\";")!;

    /// <summary>
    /// What <c>sqlite3 FILE .dump</c> shows, produced with Microsoft.Data.Sqlite so the test needs no CLI: the schema text of
    /// every object, then every row of every table (sqlite_master's included), text as is, blobs as UTF-8 and as hex.
    /// </summary>
    public static string Dump(string path)
    {
        var dump = new StringBuilder();
        foreach (string sql in Strings(path, "SELECT coalesce(sql, '') FROM sqlite_master;"))
        {
            dump.AppendLine(sql);
        }

        foreach (string table in Strings(path, "SELECT name FROM sqlite_master WHERE type = 'table';"))
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\";";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                dump.Append(table).Append(':');
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    object value = reader.GetValue(i);
                    dump.Append(' ').Append(value switch
                    {
                        byte[] blob => Encoding.UTF8.GetString(blob) + " x'" + Convert.ToHexString(blob) + "'",
                        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                    });
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
