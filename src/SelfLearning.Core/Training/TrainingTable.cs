using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// The rows of one split, in the shape trainers consume: a feature matrix plus class labels, numeric targets,
/// or (for calibration) a score and an outcome per row, and optionally each row's named (anonymised) attributes.
/// Immutable; factories copy and validate their input.
/// </summary>
public sealed class TrainingTable
{
    private readonly double[] _features;
    private readonly string[]? _labels;
    private readonly double[]? _targets;
    private readonly double[]? _scores;
    private readonly bool[]? _outcomes;
    private readonly IReadOnlyDictionary<string, string>[]? _attributes;

    private TrainingTable(
        TrainingTableKind kind, int rowCount, int featureCount, double[] features, string[]? labels, double[]? targets, double[]? scores, bool[]? outcomes,
        IReadOnlyDictionary<string, string>[]? attributes = null)
    {
        Kind = kind;
        RowCount = rowCount;
        FeatureCount = featureCount;
        _features = features;
        _labels = labels;
        _targets = targets;
        _scores = scores;
        _outcomes = outcomes;
        _attributes = attributes;
    }

    /// <summary>Gets the map every row without attributes reads: empty, shared.</summary>
    public static IReadOnlyDictionary<string, string> NoAttributes { get; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Gets a value indicating whether the rows carry named attributes (see <see cref="WithAttributes"/>).</summary>
    public bool HasAttributes => _attributes is not null;

    /// <summary>Gets what the table holds.</summary>
    public TrainingTableKind Kind { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Gets the number of feature columns (0 for calibration tables).</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the class labels (classification tables), one per row.</summary>
    /// <exception cref="InvalidOperationException">The table is not a classification table.</exception>
    public IReadOnlyList<string> Labels => _labels ?? throw WrongKind(TrainingTableKind.Classification);

    /// <summary>Gets the numeric targets (regression tables), one per row.</summary>
    /// <exception cref="InvalidOperationException">The table is not a regression table.</exception>
    public ReadOnlySpan<double> Targets => _targets ?? throw WrongKind(TrainingTableKind.Regression);

    /// <summary>Gets the host model's scores (calibration tables), one per row.</summary>
    /// <exception cref="InvalidOperationException">The table is not a calibration table.</exception>
    public ReadOnlySpan<double> Scores => _scores ?? throw WrongKind(TrainingTableKind.Calibration);

    /// <summary>Gets whether each prediction was right, i.e. the positive class (calibration tables).</summary>
    /// <exception cref="InvalidOperationException">The table is not a calibration table.</exception>
    public ReadOnlySpan<bool> Outcomes => _outcomes ?? throw WrongKind(TrainingTableKind.Calibration);

    /// <summary>Creates a classification table.</summary>
    /// <param name="features">One row per case, one column per feature; every value finite.</param>
    /// <param name="labels">The class label of each row.</param>
    /// <returns>The table.</returns>
    public static TrainingTable ForClassification(double[,] features, IReadOnlyList<string> labels)
    {
        double[] flat = Flatten(features);
        Guard.NotNull(labels);
        EnsureRowCount(features.GetLength(0), labels.Count, nameof(labels));
        var copy = new string[labels.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = labels[i] ?? throw new ArgumentException($"'{nameof(labels)}' element {i} is null.", nameof(labels));
        }

        return new(TrainingTableKind.Classification, features.GetLength(0), features.GetLength(1), flat, copy, null, null, null);
    }

    /// <summary>Creates a regression table.</summary>
    /// <param name="features">One row per case, one column per feature; every value finite.</param>
    /// <param name="targets">The numeric target of each row; every value finite.</param>
    /// <returns>The table.</returns>
    public static TrainingTable ForRegression(double[,] features, ReadOnlySpan<double> targets)
    {
        double[] flat = Flatten(features);
        EnsureRowCount(features.GetLength(0), targets.Length, nameof(targets));
        Guard.AllFinite(targets);
        return new(TrainingTableKind.Regression, features.GetLength(0), features.GetLength(1), flat, null, targets.ToArray(), null, null);
    }

    /// <summary>Creates a clustering table.</summary>
    /// <param name="features">One row per case, one column per feature; every value finite.</param>
    /// <returns>The table.</returns>
    public static TrainingTable ForClustering(double[,] features)
    {
        double[] flat = Flatten(features);
        return new(TrainingTableKind.Clustering, features.GetLength(0), features.GetLength(1), flat, null, null, null, null);
    }

    /// <summary>Creates a calibration table.</summary>
    /// <param name="scores">The host model's score (a probability or a raw margin) for each row; every value finite.</param>
    /// <param name="outcomes">Whether each row is the positive class (the prediction was right).</param>
    /// <returns>The table.</returns>
    public static TrainingTable ForCalibration(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        Guard.AllFinite(scores);
        Guard.SameLength(scores, outcomes);
        return new(TrainingTableKind.Calibration, scores.Length, 0, [], null, null, scores.ToArray(), outcomes.ToArray());
    }

    /// <summary>Gets one row's features.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The row's feature values.</returns>
    public ReadOnlySpan<double> GetFeatures(int row)
    {
        Guard.InRange(row, 0, RowCount - 1);
        return _features.AsSpan(row * FeatureCount, FeatureCount);
    }

    /// <summary>Gets one row's named attributes: the anonymised values of the case the row comes from.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The row's attributes; <see cref="NoAttributes"/> when the table carries none.</returns>
    public IReadOnlyDictionary<string, string> GetAttributes(int row)
    {
        Guard.InRange(row, 0, RowCount - 1);
        return _attributes is null ? NoAttributes : _attributes[row];
    }

    /// <summary>
    /// This table with each row's named attributes (text values by name, e.g. a case's <c>clinic</c> or <c>note</c>). The
    /// numeric columns are shared with this table, not copied; the maps are kept by reference (they are the cases' own
    /// immutable maps when the loop builds the table).
    /// </summary>
    /// <param name="attributes">One map per row; a row without attributes gets an empty map.</param>
    /// <returns>The table with attributes.</returns>
    /// <exception cref="ArgumentException"><paramref name="attributes"/> does not hold one map per row, or holds a null map or value.</exception>
    public TrainingTable WithAttributes(IReadOnlyList<IReadOnlyDictionary<string, string>> attributes)
    {
        Guard.NotNull(attributes);
        EnsureRowCount(RowCount, attributes.Count, nameof(attributes));
        var rows = new IReadOnlyDictionary<string, string>[attributes.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var map = attributes[i] ?? throw new ArgumentException($"'{nameof(attributes)}' element {i} is null.", nameof(attributes));
            foreach (var pair in map)
            {
                if (pair.Value is null)
                {
                    throw new ArgumentException($"'{nameof(attributes)}' element {i} has a null value for '{pair.Key}'.", nameof(attributes));
                }
            }

            rows[i] = map;
        }

        return new(Kind, RowCount, FeatureCount, _features, _labels, _targets, _scores, _outcomes, rows);
    }

    /// <summary>The features, row after row (row-major), not copied.</summary>
    internal ReadOnlySpan<double> FeatureValues => _features;

    /// <summary>The features as a MathNet dense matrix (rows × features), copied.</summary>
    internal Matrix<double> FeatureMatrix() =>
        Matrix<double>.Build.Dense(RowCount, FeatureCount, (i, j) => _features[(i * FeatureCount) + j]);

    /// <summary>The rows at <paramref name="rows"/>, in that order, as a new table of the same kind.</summary>
    internal TrainingTable Select(IReadOnlyList<int> rows)
    {
        var features = new double[rows.Count * FeatureCount];
        for (int r = 0; r < rows.Count; r++)
        {
            _features.AsSpan(rows[r] * FeatureCount, FeatureCount).CopyTo(features.AsSpan(r * FeatureCount));
        }

        return new(
            Kind,
            rows.Count,
            FeatureCount,
            features,
            _labels is null ? null : rows.Select(r => _labels[r]).ToArray(),
            _targets is null ? null : rows.Select(r => _targets[r]).ToArray(),
            _scores is null ? null : rows.Select(r => _scores[r]).ToArray(),
            _outcomes is null ? null : rows.Select(r => _outcomes[r]).ToArray(),
            _attributes is null ? null : rows.Select(r => _attributes[r]).ToArray());
    }

    private static double[] Flatten(double[,] features, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(features))] string? name = null)
    {
        Guard.NotNull(features, name);
        int rows = features.GetLength(0);
        int columns = features.GetLength(1);
        if (columns == 0)
        {
            throw new ArgumentException($"'{name}' has no feature columns.", name);
        }

        var flat = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double v = features[i, j];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentOutOfRangeException(name, v, $"'{name}' must hold finite numbers, but row {i}, column {j} is {v}.");
                }

                flat[(i * columns) + j] = v;
            }
        }

        return flat;
    }

    private static void EnsureRowCount(int featureRows, int count, string name)
    {
        if (featureRows != count)
        {
            throw new ArgumentException($"'{name}' has {count} elements but the feature matrix has {featureRows} rows.", name);
        }
    }

    private InvalidOperationException WrongKind(TrainingTableKind wanted) =>
        new($"This is a {Kind} table; it has no {wanted} column.");
}
