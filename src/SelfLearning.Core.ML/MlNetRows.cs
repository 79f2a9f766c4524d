using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// The rows the ML.NET side sees, and their explicit schemas: a <c>Features</c> vector of <see cref="float"/> of the
/// table's width, one text column per declared attribute (named after the attribute), and, for supervised tasks, a
/// <c>Label</c> column whose type follows the task (Boolean for binary, a key over the sorted classes for multiclass,
/// Single for regression).
/// </summary>
/// <remarks>
/// ML.NET maps rows to CLR members, so the attribute columns live in <see cref="MlNetRows.MaxAttributes"/> fixed text
/// members of every row type; the schema renames the first ones to the declared attributes' names and leaves the rest
/// out, so a model without attributes has exactly the schema it had before attributes existed. A row's missing attribute
/// is the empty string.
/// </remarks>
internal static class MlNetRows
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    /// <summary>The most attribute columns a model type may declare.</summary>
    public const int MaxAttributes = 32;

    /// <summary>The training (or validation) split as an <see cref="IDataView"/> with an explicit schema.</summary>
    public static IDataView ToDataView(MLContext ml, TrainingTable table, TaskKind task, IReadOnlyList<string> classes, IReadOnlyList<MlNetAttributeColumn> attributes)
    {
        int n = table.RowCount;
        int d = table.FeatureCount;
        switch (task)
        {
            case TaskKind.BinaryClassification:
            {
                var rows = new BinaryRow[n];
                for (int i = 0; i < n; i++)
                {
                    rows[i] = new BinaryRow { Features = Floats(table.GetFeatures(i)), Label = string.Equals(table.Labels[i], classes[1], StringComparison.Ordinal) };
                    rows[i].SetAttributes(attributes, table.GetAttributes(i));
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<BinaryRow>(d, null, attributes));
            }

            case TaskKind.MulticlassClassification:
            {
                var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
                var rows = new KeyRow[n];
                for (int i = 0; i < n; i++)
                {
                    // Key values are 1-based (0 is "missing"); a class the model was not trained on maps to missing.
                    uint key = index.TryGetValue(table.Labels[i], out int k) ? (uint)(k + 1) : 0u;
                    rows[i] = new KeyRow { Features = Floats(table.GetFeatures(i)), Label = key };
                    rows[i].SetAttributes(attributes, table.GetAttributes(i));
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<KeyRow>(d, new KeyDataViewType(typeof(uint), classes.Count), attributes));
            }

            case TaskKind.Regression:
            {
                var rows = new RegressionRow[n];
                var targets = table.Targets;
                for (int i = 0; i < n; i++)
                {
                    rows[i] = new RegressionRow { Features = Floats(table.GetFeatures(i)), Label = (float)targets[i] };
                    rows[i].SetAttributes(attributes, table.GetAttributes(i));
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<RegressionRow>(d, null, attributes));
            }

            default:
            {
                var rows = new FeatureRow[n];
                for (int i = 0; i < n; i++)
                {
                    rows[i] = new FeatureRow { Features = Floats(table.GetFeatures(i)) };
                    rows[i].SetAttributes(attributes, table.GetAttributes(i));
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<FeatureRow>(d, null, attributes));
            }
        }
    }

    /// <summary>An input-only view with no rows: the schema a loaded model is asked about (its output columns).</summary>
    public static IDataView EmptyInput(MLContext ml, int featureCount, IReadOnlyList<MlNetAttributeColumn> attributes) =>
        ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), InputSchema(featureCount, attributes));

    /// <summary>The schema of the serving input: the features vector and the attribute columns.</summary>
    public static SchemaDefinition InputSchema(int featureCount, IReadOnlyList<MlNetAttributeColumn> attributes) => Schema<FeatureRow>(featureCount, null, attributes);

    public static void Copy(ReadOnlySpan<double> source, float[] destination)
    {
        for (int j = 0; j < destination.Length; j++)
        {
            destination[j] = (float)source[j];
        }
    }

    private static float[] Floats(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        Copy(values, result);
        return result;
    }

    private static SchemaDefinition Schema<T>(int featureCount, DataViewType? labelType, IReadOnlyList<MlNetAttributeColumn> attributes)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        if (labelType is not null)
        {
            definition[LabelColumn].ColumnType = labelType;
        }

        for (int i = 0; i < MaxAttributes; i++)
        {
            string member = AttributeRow.MemberName(i);
            var column = definition.Single(c => string.Equals(c.MemberName, member, StringComparison.Ordinal));
            if (i < attributes.Count)
            {
                column.ColumnName = attributes[i].Name;
                column.ColumnType = TextDataViewType.Instance;
            }
            else
            {
                definition.Remove(column);
            }
        }

        return definition;
    }

    /// <summary>The attribute members every input row has; the i-th declared attribute is member <c>A{i:00}</c>.</summary>
    internal abstract class AttributeRow
    {
        private string[]? _values;

        public static string MemberName(int index) => "A" + index.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Sets the declared attributes' values from a case's map; a missing one is the empty string.</summary>
        public void SetAttributes(IReadOnlyList<MlNetAttributeColumn> declared, IReadOnlyDictionary<string, string> values)
        {
            for (int i = 0; i < declared.Count; i++)
            {
                Set(i, values.TryGetValue(declared[i].Name, out string? value) ? value : string.Empty);
            }
        }

        public string A00 { get => Get(0); set => Set(0, value); }

        public string A01 { get => Get(1); set => Set(1, value); }

        public string A02 { get => Get(2); set => Set(2, value); }

        public string A03 { get => Get(3); set => Set(3, value); }

        public string A04 { get => Get(4); set => Set(4, value); }

        public string A05 { get => Get(5); set => Set(5, value); }

        public string A06 { get => Get(6); set => Set(6, value); }

        public string A07 { get => Get(7); set => Set(7, value); }

        public string A08 { get => Get(8); set => Set(8, value); }

        public string A09 { get => Get(9); set => Set(9, value); }

        public string A10 { get => Get(10); set => Set(10, value); }

        public string A11 { get => Get(11); set => Set(11, value); }

        public string A12 { get => Get(12); set => Set(12, value); }

        public string A13 { get => Get(13); set => Set(13, value); }

        public string A14 { get => Get(14); set => Set(14, value); }

        public string A15 { get => Get(15); set => Set(15, value); }

        public string A16 { get => Get(16); set => Set(16, value); }

        public string A17 { get => Get(17); set => Set(17, value); }

        public string A18 { get => Get(18); set => Set(18, value); }

        public string A19 { get => Get(19); set => Set(19, value); }

        public string A20 { get => Get(20); set => Set(20, value); }

        public string A21 { get => Get(21); set => Set(21, value); }

        public string A22 { get => Get(22); set => Set(22, value); }

        public string A23 { get => Get(23); set => Set(23, value); }

        public string A24 { get => Get(24); set => Set(24, value); }

        public string A25 { get => Get(25); set => Set(25, value); }

        public string A26 { get => Get(26); set => Set(26, value); }

        public string A27 { get => Get(27); set => Set(27, value); }

        public string A28 { get => Get(28); set => Set(28, value); }

        public string A29 { get => Get(29); set => Set(29, value); }

        public string A30 { get => Get(30); set => Set(30, value); }

        public string A31 { get => Get(31); set => Set(31, value); }

        private string Get(int index) => _values?[index] ?? string.Empty;

        private void Set(int index, string? value) => (_values ??= new string[MaxAttributes])[index] = value ?? string.Empty;
    }

    /// <summary>A serving input: the features and the attributes.</summary>
    internal sealed class FeatureRow : AttributeRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class BinaryRow : AttributeRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    internal sealed class KeyRow : AttributeRow
    {
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }

    internal sealed class RegressionRow : AttributeRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>A binary pipeline's calibrated output.</summary>
    internal sealed class ProbabilityOutput
    {
        public float Probability { get; set; }
    }

    /// <summary>A single score: a regression's prediction, or an uncalibrated binary margin.</summary>
    internal sealed class ScoreOutput
    {
        public float Score { get; set; }
    }

    /// <summary>A vector score: multiclass probabilities, or k-means distances to each center.</summary>
    internal sealed class VectorOutput
    {
        public float[] Score { get; set; } = [];
    }
}
