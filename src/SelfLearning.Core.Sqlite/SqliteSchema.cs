using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace SelfLearning.Sqlite;

/// <summary>
/// The names SelfLearning owns in a database file: every table, index and trigger starts with
/// <see cref="Prefix"/>, so the file can be shared with another application's tables (a Rails or golang-migrate
/// <c>schema_migrations</c>, an <c>experiments</c> table of its own). Before a step creates or renames to a name,
/// this checks that no other object holds it and, if one does, says whose it is not.
/// </summary>
internal static partial class SqliteSchema
{
    /// <summary>The prefix of every table, index and trigger SelfLearning creates.</summary>
    public const string Prefix = "selflearning_";

    /// <summary>The table recording which migration steps a database has applied.</summary>
    public const string MigrationTable = Prefix + "schema_migrations";

    /// <summary>Throws when an object another application owns already has a name <paramref name="sql"/> creates or renames to.</summary>
    /// <exception cref="InvalidOperationException">A name is taken; the message names the object, the step and the way out.</exception>
    public static void EnsureNamesFree(SqliteConnection connection, SqliteTransaction transaction, string databasePath, string stepId, string sql)
    {
        foreach (Match match in CreatedNames().Matches(sql))
        {
            string name = match.Groups["name"].Value;
            if (SqliteDatabase.Scalar(connection, transaction, "SELECT type FROM sqlite_master WHERE name = $name COLLATE NOCASE;", ("$name", name)) is string type)
            {
                throw new InvalidOperationException(
                    $"The SQLite database '{databasePath}' already has a {type} named '{name}' that SelfLearning did not create: its schema step " +
                    $"'{stepId}' would create that name and is not recorded in {MigrationTable}. Another application (or a copy of SelfLearning " +
                    $"writing elsewhere) uses the name. SelfLearning's tables all start with '{Prefix}'; give it its own database file, or rename the other {type}.");
            }
        }
    }

    /// <summary>Whether a table or other object with <paramref name="name"/> exists (SQLite names are case-insensitive).</summary>
    public static bool Exists(SqliteConnection connection, SqliteTransaction? transaction, string name) =>
        SqliteDatabase.Scalar(connection, transaction, "SELECT 1 FROM sqlite_master WHERE name = $name COLLATE NOCASE;", ("$name", name)) is not null;

    /// <summary>The column names of a table, in order.</summary>
    public static IReadOnlyList<string> Columns(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var command = SqliteDatabase.Command(connection, transaction, "SELECT name FROM pragma_table_info($table);", ("$table", table));
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    [GeneratedRegex(@"(?:CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?|RENAME\s+TO\s+)(?<name>\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreatedNames();
}
