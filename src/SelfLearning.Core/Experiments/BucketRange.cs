namespace SelfLearning.Experiments;

/// <summary>A half-open bucket range [<see cref="Start"/>, <see cref="End"/>) owned by one variation.</summary>
/// <param name="Start">The first bucket in the range (inclusive).</param>
/// <param name="End">The end of the range (exclusive).</param>
public readonly record struct BucketRange(double Start, double End)
{
    /// <summary>Whether <paramref name="bucket"/> lies in [<see cref="Start"/>, <see cref="End"/>).</summary>
    /// <param name="bucket">A bucket in [0, 1).</param>
    /// <returns><see langword="true"/> when the bucket is in the range.</returns>
    public bool Contains(double bucket) => bucket >= Start && bucket < End;
}
