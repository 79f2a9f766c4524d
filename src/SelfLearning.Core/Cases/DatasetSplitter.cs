using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SelfLearning.Internal;

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

        // The top 53 bits make an exactly representable double in [0, 1).
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Assigns <paramref name="caseId"/> to a split.</summary>
    /// <param name="caseId">The case id (in a dataset, the pseudonymised id).</param>
    /// <returns>The split.</returns>
    public DatasetSplit Assign(string caseId)
    {
        double position = Position(caseId);
        if (position < TrainFraction)
        {
            return DatasetSplit.Train;
        }

        return position < TrainFraction + ValidationFraction || TestFraction == 0.0 ? DatasetSplit.Validation : DatasetSplit.Test;
    }
}
