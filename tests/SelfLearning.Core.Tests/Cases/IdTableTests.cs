using System.Runtime.CompilerServices;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

/// <summary>The collector's per-id table agrees with a dictionary on every key, grows past its size and clears for reuse.</summary>
public sealed class IdTableTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(50_000)]
    public void AddAndFind_RandomKeysWithRepeats_AgreeWithADictionary(int expected)
    {
        var random = new Random(17);
        var keys = new UInt128[20_000];
        for (int i = 0; i < keys.Length; i++)
        {
            // One key in four repeats an earlier one, as ids reviewed twice do.
            keys[i] = i > 0 && random.Next(4) == 0 ? keys[random.Next(i)] : new UInt128(((ulong)random.NextInt64() << 1) | (uint)random.Next(2), (ulong)random.NextInt64());
        }

        var table = new IdTable<long>(expected);
        var reference = new Dictionary<UInt128, long>();
        for (int i = 0; i < keys.Length; i++)
        {
            ref long value = ref table.GetValueRefOrAddDefault(keys[i], out bool exists);
            exists.Should().Be(reference.ContainsKey(keys[i]), "key {0} was {1}seen", i, reference.ContainsKey(keys[i]) ? string.Empty : "not ");
            value += i + 1;
            reference[keys[i]] = reference.GetValueOrDefault(keys[i]) + i + 1;
        }

        table.Count.Should().Be(reference.Count);
        foreach (var (key, sum) in reference)
        {
            table.GetValueRefOrNullRef(key).Should().Be(sum);
        }

        Unsafe.IsNullRef(ref table.GetValueRefOrNullRef(new UInt128(1, 2))).Should().BeTrue("that key was never added");
    }

    [Fact]
    public void AddAndFind_KeysSharingAHomeSlot_ProbePastEachOther()
    {
        // Keys whose low 64 bits are equal start at the same slot; only the high bits tell them apart.
        var table = new IdTable<int>(4);
        for (int i = 0; i < 40; i++)
        {
            table.GetValueRefOrAddDefault(new UInt128((ulong)i, 42), out _) = i;
        }

        for (int i = 0; i < 40; i++)
        {
            table.GetValueRefOrNullRef(new UInt128((ulong)i, 42)).Should().Be(i);
            table.Touch(new UInt128((ulong)i, 42)).Should().Be(1, "the home slot of a shared low half is in use");
        }

        table.Count.Should().Be(40);
    }

    [Fact]
    public void Clear_AfterUse_ForgetsEveryKeyAndTakesThemAgain()
    {
        var table = new IdTable<int>(8);
        var key = new UInt128(7, 9);
        table.GetValueRefOrAddDefault(key, out _) = 5;
        table.EnsureCapacity(10_000);
        table.GetValueRefOrNullRef(key).Should().Be(5, "growing keeps what is there");

        table.Clear();

        table.Count.Should().Be(0);
        Unsafe.IsNullRef(ref table.GetValueRefOrNullRef(key)).Should().BeTrue();
        table.GetValueRefOrAddDefault(key, out bool exists).Should().Be(0);
        exists.Should().BeFalse();
    }

    [Fact]
    public void Constructor_NegativeSize_NamesIt()
    {
        Action create = () => _ = new IdTable<int>(-1);

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("expected");
    }
}
