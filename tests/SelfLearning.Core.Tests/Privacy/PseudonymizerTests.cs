using SelfLearning.Cases;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class PseudonymizerTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Pseudonymize_KnownKey_MatchesPythonHmacReference()
    {
        var pseudonymizer = new Pseudonymizer(Key);
        // hmac.new(bytes(range(1, 33)), b"case\x00patient-42", hashlib.sha256).hexdigest()[:32]
        pseudonymizer.Pseudonymize("patient-42", "case").Should().Be("a65dc90367654ded54b739f4a055704e");
        // hmac.new(bytes(range(1, 33)), b"SelfLearning.KeyFingerprint", hashlib.sha256).hexdigest()[:8]
        pseudonymizer.KeyFingerprint.Should().Be("e34df246");
    }

    [Fact]
    public void Pseudonymize_DifferentPurposeOrKey_DifferentPseudonym()
    {
        var pseudonymizer = new Pseudonymizer(Key);
        var other = new Pseudonymizer([.. Key.Reverse()]);
        pseudonymizer.Pseudonymize("42", "case").Should().NotBe(pseudonymizer.Pseudonymize("42", "reviewer"));
        pseudonymizer.Pseudonymize("42", "case").Should().NotBe(other.Pseudonymize("42", "case"));
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        var act = () => new Pseudonymizer(new byte[15]);
        act.Should().Throw<ArgumentException>().WithParameterName("key").WithMessage("*15 bytes*");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgc=")]
    public void CaseAnonymizer_MissingOrBadKey_ThrowsAtConstruction(string? key)
    {
        var act = () => new CaseAnonymizer(new CaseAnonymizerOptions { PseudonymizationKey = key });
        act.Should().Throw<ArgumentException>().WithParameterName("options.PseudonymizationKey");
    }
}
