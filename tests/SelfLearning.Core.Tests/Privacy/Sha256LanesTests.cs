using System.Security.Cryptography;
using System.Text;
using SelfLearning.Cases;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

/// <summary>
/// The lane-parallel SHA-256 compression, and the batched pseudonyms and splits built on it, give byte for byte what the
/// platform's <see cref="SHA256"/> and <see cref="HMACSHA256"/> give one message at a time.
/// </summary>
public sealed class Sha256LanesTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compress_EveryOneBlockLength_MatchesPlatformSha256(bool wide)
    {
        Sha256Lanes.IsAccelerated.Should().BeTrue("the CI machine has 256-bit vectors, so the lanes are what this test checks");
        var random = new Random(11);

        // 1,003 messages: every length from 0 to 55 many times over, and a count that is no multiple of 8 or 16 lanes.
        byte[][] messages = [.. Enumerable.Range(0, 1003).Select(i => RandomBytes(random, i % (Sha256Lanes.MaxOneBlockMessage + 1)))];
        var blocks = new byte[messages.Length * Sha256Lanes.BlockBytes];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i].CopyTo(blocks, i * Sha256Lanes.BlockBytes);
            Sha256Lanes.Pad(blocks.AsSpan(i * Sha256Lanes.BlockBytes, Sha256Lanes.BlockBytes), messages[i].Length, 0);
        }

        var states = new uint[messages.Length * Sha256Lanes.StateWords];
        Sha256Lanes.Compress(Sha256Lanes.InitialState, blocks, states, wide);

        var digest = new byte[32];
        for (int i = 0; i < messages.Length; i++)
        {
            Sha256Lanes.WriteDigest(states.AsSpan(i * Sha256Lanes.StateWords, Sha256Lanes.StateWords), digest, 32);
            digest.Should().Equal(SHA256.HashData(messages[i]), "message {0} has {1} bytes", i, messages[i].Length);
        }
    }

    [Fact]
    public void Compress_KnownAnswer_Abc()
    {
        // FIPS 180-4 example: SHA-256("abc").
        var block = new byte[Sha256Lanes.BlockBytes];
        Sha256Lanes.TryPack([], "abc", block, 0).Should().BeTrue();
        var state = new uint[Sha256Lanes.StateWords];
        Sha256Lanes.Compress(Sha256Lanes.InitialState, block, state);
        var digest = new byte[32];
        Sha256Lanes.WriteDigest(state, digest, 32);
        Convert.ToHexStringLower(digest).Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void TryPack_TooLongForOneBlock_Refuses()
    {
        var block = new byte[Sha256Lanes.BlockBytes];
        Sha256Lanes.TryPack("case\0"u8, new string('a', 50), block, 0).Should().BeTrue();
        Sha256Lanes.TryPack("case\0"u8, new string('a', 51), block, 0).Should().BeFalse();
        Sha256Lanes.TryPack([], new string('é', 28), block, 0).Should().BeFalse("28 two-byte characters are 56 bytes");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Pseudonymize_Batch_MatchesOneAtATime(int keyBytes)
    {
        var random = new Random(keyBytes);
        var pseudonymizer = new Pseudonymizer(RandomBytes(random, keyBytes));
        string[] values = [.. Enumerable.Range(0, 700).Select(i => RandomText(random, i % 90)), "", "é", "漢字-42", "🩺 patient", "lone \ud800 surrogate", "\udc00"];
        foreach (string purpose in new[] { "case", "reviewer", "attribute:" + new string('x', 60) })
        {
            var batch = new string[values.Length];
            pseudonymizer.Pseudonymize(values, purpose, batch);
            for (int i = 0; i < values.Length; i++)
            {
                batch[i].Should().Be(pseudonymizer.Pseudonymize(values[i], purpose), "value {0} ({1} chars) for purpose '{2}'", i, values[i].Length, purpose);
            }
        }
    }

    [Fact]
    public void Pseudonymize_Batch_KnownKey_MatchesPythonHmacReference()
    {
        var pseudonymizer = new Pseudonymizer([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
        var batch = new string[1];
        pseudonymizer.Pseudonymize(["patient-42"], "case", batch);

        // hmac.new(bytes(range(1, 33)), b"case\x00patient-42", hashlib.sha256).hexdigest()[:32]
        batch[0].Should().Be("a65dc90367654ded54b739f4a055704e");
    }

    [Fact]
    public void Pseudonymize_Batch_NullValue_NamesIndex()
    {
        var pseudonymizer = new Pseudonymizer(new byte[32]);
        var act = () => pseudonymizer.Pseudonymize(["a", null!, "c"], "case", new string[3]);
        act.Should().Throw<ArgumentNullException>().WithParameterName("values").WithMessage("*index 1*");
    }

    [Fact]
    public void Pseudonymize_Batch_ShortDestination_Throws()
    {
        var pseudonymizer = new Pseudonymizer(new byte[32]);
        var act = () => pseudonymizer.Pseudonymize(["a", "b"], "case", new string[1]);
        act.Should().Throw<ArgumentException>().WithParameterName("pseudonyms").WithMessage("*1 items; 2 are needed*");
    }

    [Fact]
    public void AssignSplits_Batch_MatchesOneAtATime()
    {
        var random = new Random(5);
        var splitter = new DatasetSplitter(0.5, 0.2, 0.3);
        string[] ids = [.. Enumerable.Range(0, 2000).Select(i => i % 3 == 0 ? RandomText(random, i % 70) : Convert.ToHexStringLower(RandomBytes(random, 16)))];
        var splits = new DatasetSplit[ids.Length];
        splitter.Assign(ids, splits);
        for (int i = 0; i < ids.Length; i++)
        {
            splits[i].Should().Be(splitter.Assign(ids[i]), "id {0} ({1} chars)", i, ids[i].Length);
        }

        splits.Distinct().Should().HaveCount(3, "2,000 ids reach all three splits");
    }

    [Fact]
    public void AssignSplits_Batch_NullId_NamesIndex()
    {
        var act = () => DatasetSplitter.Default.Assign(["a", "b", null!], new DatasetSplit[3]);
        act.Should().Throw<ArgumentNullException>().WithParameterName("caseIds").WithMessage("*index 2*");
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            // Mostly ASCII, some two- and three-byte characters, so lengths in bytes straddle the one-block limit.
            int pick = random.Next(10);
            text.Append(pick < 7 ? (char)random.Next(0x20, 0x7f) : pick < 9 ? (char)random.Next(0xa0, 0x800) : (char)random.Next(0x800, 0xd800));
        }

        return text.ToString();
    }
}
