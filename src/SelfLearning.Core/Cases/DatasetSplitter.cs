using System.Globalization;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SelfLearning.Internal;
using SelfLearning.Privacy;

namespace SelfLearning.Cases;

/// <summary>
/// Assigns a case to a split by a hash of its id: the first 8 bytes of SHA-256 of the id (UTF-8),
/// read as a number in [0, 1), compared with the cumulative fractions. A case therefore keeps its split
/// however the dataset grows, and no case moves from training to evaluation. Thread-safe.
/// </summary>
internal sealed class DatasetSplitter
{
    private const double Tolerance = 1e-9;

    /// <summary>Initializes a new instance of the <see cref="DatasetSplitter"/> class.</summary>
    /// <param name="trainFraction">The share of cases for training, in [0, 1].</param>
    /// <param name="validationFraction">The share for validation, in [0, 1].</param>
    /// <param name="testFraction">The share for testing, in [0, 1].</param>
    /// <exception cref="ArgumentException">A fraction is out of range or the three do not sum to 1.</exception>
    public DatasetSplitter(double trainFraction, double validationFraction, double testFraction)
    {
        TrainFraction = Guard.Probability(trainFraction);
        ValidationFraction = Guard.Probability(validationFraction);
        TestFraction = Guard.Probability(testFraction);
        double sum = trainFraction + validationFraction + testFraction;
        if (Math.Abs(sum - 1.0) > Tolerance)
        {
            throw new ArgumentException(
                $"'{nameof(trainFraction)}' + '{nameof(validationFraction)}' + '{nameof(testFraction)}' must be 1, but is {sum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.",
                nameof(testFraction));
        }
    }

    /// <summary>Gets the default split: 80% training, 20% validation, no test set.</summary>
    public static DatasetSplitter Default { get; } = new(0.8, 0.2, 0.0);

    /// <summary>Gets the share of cases for training.</summary>
    public double TrainFraction { get; }

    /// <summary>Gets the share of cases for validation.</summary>
    public double ValidationFraction { get; }

    /// <summary>Gets the share of cases for testing.</summary>
    public double TestFraction { get; }

    /// <summary>The position of a case id in [0, 1): the first 8 bytes of SHA-256 of its UTF-8, big-endian, over 2⁶⁴.</summary>
    /// <param name="caseId">The case id.</param>
    /// <returns>A number in [0, 1), uniform over ids.</returns>
    public static double Position(string caseId)
    {
        Guard.NotNull(caseId);
        int length = Encoding.UTF8.GetByteCount(caseId);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(caseId, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);

        return ToPosition(BinaryPrimitives.ReadUInt64BigEndian(hash));
    }

    /// <summary>Assigns <paramref name="caseId"/> to a split.</summary>
    /// <param name="caseId">The case id (in a dataset, the pseudonymised id).</param>
    /// <returns>The split.</returns>
    public DatasetSplit Assign(string caseId) => At(Position(caseId));

    /// <summary>
    /// Assigns many case ids to their splits, each exactly as <see cref="Assign(string)"/> would: the SHA-256 of every
    /// id that fits in one block is computed side by side in vector lanes (<see cref="Sha256Lanes"/>), the rest one at a time.
    /// </summary>
    /// <param name="caseIds">The case ids.</param>
    /// <param name="splits">Receives the split of each id, at its index.</param>
    internal void Assign(ReadOnlySpan<string> caseIds, Span<DatasetSplit> splits)
    {
        if (splits.Length < caseIds.Length)
        {
            throw new ArgumentException($"'{nameof(splits)}' holds {splits.Length} items; {caseIds.Length} are needed.", nameof(splits));
        }

        if (!Sha256Lanes.IsAccelerated)
        {
            for (int i = 0; i < caseIds.Length; i++)
            {
                splits[i] = Assign(caseIds[i]);
            }

            return;
        }

        for (int first = 0; first < caseIds.Length; first += Sha256Lanes.Batch)
        {
            int count = Math.Min(Sha256Lanes.Batch, caseIds.Length - first);
            AssignInLanes(caseIds.Slice(first, count), first, splits.Slice(first, count));
        }
    }

    /// <summary>One batch of <see cref="Assign(ReadOnlySpan{string}, Span{DatasetSplit})"/>, its buffers on the stack.</summary>
    private void AssignInLanes(ReadOnlySpan<string> caseIds, int offset, Span<DatasetSplit> splits)
    {
        Span<byte> blocks = stackalloc byte[Sha256Lanes.Batch * Sha256Lanes.BlockBytes];
        Span<uint> states = stackalloc uint[Sha256Lanes.Batch * Sha256Lanes.StateWords];
        Span<int> slots = stackalloc int[Sha256Lanes.Batch];
        int packed = 0;
        for (int i = 0; i < caseIds.Length; i++)
        {
            string id = caseIds[i] ?? throw new ArgumentNullException(nameof(caseIds), string.Create(CultureInfo.InvariantCulture, $"'{nameof(caseIds)}' holds null at index {offset + i}."));
            if (Sha256Lanes.TryPack([], id, blocks.Slice(packed * Sha256Lanes.BlockBytes, Sha256Lanes.BlockBytes), 0))
            {
                slots[packed++] = i;
            }
            else
            {
                splits[i] = Assign(id);
            }
        }

        Span<uint> packedStates = states[..(packed * Sha256Lanes.StateWords)];
        Sha256Lanes.Compress(Sha256Lanes.InitialState, blocks[..(packed * Sha256Lanes.BlockBytes)], packedStates);
        for (int k = 0; k < packed; k++)
        {
            // The first 8 bytes of the digest, big-endian, are its first two words.
            ulong first = ((ulong)packedStates[k * Sha256Lanes.StateWords] << 32) | packedStates[(k * Sha256Lanes.StateWords) + 1];
            splits[slots[k]] = At(ToPosition(first));
        }
    }

    /// <summary>The top 53 bits of a digest's first 8 bytes make an exactly representable double in [0, 1).</summary>
    private static double ToPosition(ulong firstBytes) => (firstBytes >> 11) * (1.0 / (1UL << 53));

    private DatasetSplit At(double position)
    {
        if (position < TrainFraction)
        {
            return DatasetSplit.Train;
        }

        return position < TrainFraction + ValidationFraction || TestFraction == 0.0 ? DatasetSplit.Validation : DatasetSplit.Test;
    }
}
