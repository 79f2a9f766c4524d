namespace SelfLearning.Registry;

/// <summary>
/// A write named the model revision it expected, and the model had moved on: another writer committed
/// first. Nothing was changed; read the model again, decide again, and retry.
/// </summary>
public sealed class RegistryConcurrencyException : InvalidOperationException
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public RegistryConcurrencyException()
        : base("The model changed since the revision the write expected.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public RegistryConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance describing a conflict on <paramref name="modelName"/>.</summary>
    /// <param name="modelName">The model written to.</param>
    /// <param name="expectedRevision">The revision the write expected.</param>
    /// <param name="actualRevision">The revision the model had.</param>
    public RegistryConcurrencyException(string modelName, long expectedRevision, long actualRevision)
        : base($"Model '{modelName}' is at revision {actualRevision}, but the write expected revision {expectedRevision}; nothing was changed.")
    {
        ModelName = modelName;
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    /// <summary>Gets the model written to.</summary>
    public string? ModelName { get; }

    /// <summary>Gets the revision the write expected.</summary>
    public long ExpectedRevision { get; }

    /// <summary>Gets the revision the model had when the write was refused.</summary>
    public long ActualRevision { get; }
}
