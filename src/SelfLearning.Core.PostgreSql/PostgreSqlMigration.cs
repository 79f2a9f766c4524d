namespace SelfLearning.PostgreSql;

/// <summary>One versioned schema step: applied once per database, in order, recorded in <c>selflearning.schema_migrations</c>.</summary>
/// <param name="Id">The step's id, unique across the stores, for example <c>cases-0001-initial</c>.</param>
/// <param name="Sql">The statements; they run in the migration's transaction, so a step applies whole or not at all.</param>
internal sealed record PostgreSqlMigration(string Id, string Sql);
