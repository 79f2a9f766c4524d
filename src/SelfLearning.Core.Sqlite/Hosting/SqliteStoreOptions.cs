namespace SelfLearning.Sqlite.Hosting;

/// <summary>Where the self-learning loop keeps its state in SQLite.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the path of the database file; created with its schema on first use.</summary>
    /// <value>The default value is <see langword="null"/>: a path is required.</value>
    public string? DatabasePath { get; set; }
}
