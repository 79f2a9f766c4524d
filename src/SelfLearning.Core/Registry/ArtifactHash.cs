using System.Security.Cryptography;

namespace SelfLearning.Registry;

/// <summary>SHA-256 of model artifacts, as 64 lower-case hexadecimal digits, and its verification.</summary>
internal static class ArtifactHash
{
    /// <summary>Computes the SHA-256 of an artifact.</summary>
    /// <param name="artifact">The artifact bytes.</param>
    /// <returns>The hash as 64 lower-case hexadecimal digits.</returns>
    public static string Compute(ReadOnlySpan<byte> artifact)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(artifact, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Verifies an artifact read from a store against what the version recorded.</summary>
    /// <param name="version">The version the artifact belongs to.</param>
    /// <param name="artifact">The bytes read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="version"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArtifactIntegrityException">The size or the hash differs.</exception>
    public static void Verify(ModelVersion version, ReadOnlySpan<byte> artifact)
    {
        ArgumentNullException.ThrowIfNull(version);
        string actual = Compute(artifact);
        if (artifact.Length != version.ArtifactSize || !string.Equals(actual, version.ArtifactSha256, StringComparison.Ordinal))
        {
            throw new ArtifactIntegrityException(version.Name, version.Version, version.ArtifactSha256, actual);
        }
    }
}
