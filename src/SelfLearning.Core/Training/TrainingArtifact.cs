using System.Security.Cryptography;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>A trained model as bytes plus the name of their format, which a predictor loader recognises.</summary>
public sealed class TrainingArtifact
{
    private readonly byte[] _content;

    /// <summary>Creates an artifact.</summary>
    /// <param name="format">The format name, e.g. <c>selflearning.logistic-regression.v1+json</c>.</param>
    /// <param name="content">The serialised model; copied.</param>
    public TrainingArtifact(string format, ReadOnlySpan<byte> content)
    {
        Format = Guard.NotNullOrWhiteSpace(format);
        Guard.NotEmpty(content);
        _content = content.ToArray();
    }

    /// <summary>Gets the format name.</summary>
    public string Format { get; }

    /// <summary>Gets the serialised model.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>Gets the lower-case hex SHA-256 of <see cref="Content"/>.</summary>
    public string Sha256 => Convert.ToHexString(SHA256.HashData(_content)).ToLowerInvariant();
}
