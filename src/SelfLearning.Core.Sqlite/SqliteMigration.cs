using Microsoft.Data.Sqlite;

namespace SelfLearning.Sqlite;

/// <summary>One step of a store's schema, applied once per database and recorded in <c>selflearning_schema_migrations</c>.</summary>
/// <param name="Id">A stable, unique identifier such as <c>registry-0001-initial</c>; never renamed once shipped.</param>
/// <param name="Sql">The statements to run, in one transaction with the record that the step was applied.</param>
/// <param name="Apply">
/// Work SQL alone cannot do (rewriting stored values), run after <paramref name="Sql"/> in the same transaction;
/// <see langword="null"/> for a step that is only SQL.
/// </param>
internal sealed record SqliteMigration(string Id, string Sql, Action<SqliteConnection, SqliteTransaction>? Apply = null);
