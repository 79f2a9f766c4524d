namespace SelfLearning.Evaluation;

/// <summary>
/// Counts of (actual, predicted) label pairs, rows actual and columns predicted, labels in ordinal order
/// (scikit-learn's <c>confusion_matrix</c> layout).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;
    private readonly Dictionary<string, int> _index;

    internal ConfusionMatrix(IReadOnlyList<string> labels, long[,] counts)
    {
        Labels = labels;
        _counts = counts;
        _index = new Dictionary<string, int>(labels.Count, StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            _index[labels[i]] = i;
        }
    }

    /// <summary>Gets the labels, in ordinal order; row and column i belong to label i.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gets the number of cases whose actual label is <c>Labels[actual]</c> and predicted label <c>Labels[predicted]</c>.</summary>
    /// <param name="actual">The row (actual label index).</param>
    /// <param name="predicted">The column (predicted label index).</param>
    /// <returns>The count.</returns>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Gets the number of cases with the given actual and predicted labels.</summary>
    /// <param name="actual">The actual label.</param>
    /// <param name="predicted">The predicted label.</param>
    /// <returns>The count.</returns>
    /// <exception cref="KeyNotFoundException">A label does not occur in the data.</exception>
    public long this[string actual, string predicted] => _counts[IndexOf(actual), IndexOf(predicted)];

    /// <summary>Copies the counts into a new array.</summary>
    /// <returns>A labels × labels array, rows actual, columns predicted.</returns>
    public long[,] ToArray() => (long[,])_counts.Clone();

    private int IndexOf(string label) =>
        _index.TryGetValue(label, out int i) ? i : throw new KeyNotFoundException($"The label '{label}' does not occur in the confusion matrix.");
}
