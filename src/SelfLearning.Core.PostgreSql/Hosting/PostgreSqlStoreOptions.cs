namespace SelfLearning.PostgreSql.Hosting;

/// <summary>Where the self-learning loop keeps its state in PostgreSQL.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string of the database; the <c>selflearning</c> schema is created and migrated on first use.</summary>
    /// <value>The default value is <see langword="null"/>: a connection string is required.</value>
    public string? ConnectionString { get; set; }
}
