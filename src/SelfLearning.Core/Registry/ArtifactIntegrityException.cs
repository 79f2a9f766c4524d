namespace SelfLearning.Registry;

/// <summary>
/// A stored artifact does not match the SHA-256 (or size) recorded when it was registered: it was
/// corrupted or tampered with. The bytes are never returned.
/// </summary>
public sealed class ArtifactIntegrityException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public ArtifactIntegrityException()
        : base("A stored artifact does not match its recorded SHA-256.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public ArtifactIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ArtifactIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance describing a mismatch on one version's artifact.</summary>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <param name="expectedSha256">The hash recorded at registration.</param>
    /// <param name="actualSha256">The hash of the bytes found.</param>
    public ArtifactIntegrityException(string modelName, int version, string expectedSha256, string actualSha256)
        : base($"The artifact of model '{modelName}' version {version} has SHA-256 {actualSha256}, but {expectedSha256} was recorded; it was corrupted or tampered with and is not returned.")
    {
        ModelName = modelName;
        Version = version;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>Gets the model whose artifact failed verification.</summary>
    public string? ModelName { get; }

    /// <summary>Gets the version whose artifact failed verification.</summary>
    public int Version { get; }

    /// <summary>Gets the SHA-256 recorded at registration.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>Gets the SHA-256 of the bytes found.</summary>
    public string? ActualSha256 { get; }
}
