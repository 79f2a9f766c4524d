using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// The rows the ML.NET side sees, and their explicit schemas: a <c>Features</c> vector of <see cref="float"/> of the
/// table's width and, for supervised tasks, a <c>Label</c> column whose type follows the task (Boolean for binary, a
/// key over the sorted classes for multiclass, Single for regression).
/// </summary>
internal static class MlNetRows
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    /// <summary>The training (or validation) split as an <see cref="IDataView"/> with an explicit schema.</summary>
    public static IDataView ToDataView(MLContext ml, TrainingTable table, TaskKind task, IReadOnlyList<string> classes)
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
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<BinaryRow>(d, null));
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
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<KeyRow>(d, new KeyDataViewType(typeof(uint), classes.Count)));
            }

            case TaskKind.Regression:
            {
                var rows = new RegressionRow[n];
                var targets = table.Targets;
                for (int i = 0; i < n; i++)
                {
                    rows[i] = new RegressionRow { Features = Floats(table.GetFeatures(i)), Label = (float)targets[i] };
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<RegressionRow>(d, null));
            }

            default:
            {
                var rows = new FeatureRow[n];
                for (int i = 0; i < n; i++)
                {
                    rows[i] = new FeatureRow { Features = Floats(table.GetFeatures(i)) };
                }

                return ml.Data.LoadFromEnumerable(rows, Schema<FeatureRow>(d, null));
            }
        }
    }

    /// <summary>The schema of the serving input: the features vector only.</summary>
    public static SchemaDefinition InputSchema(int featureCount) => Schema<FeatureRow>(featureCount, null);

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

    private static SchemaDefinition Schema<T>(int featureCount, DataViewType? labelType)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        if (labelType is not null)
        {
            definition[LabelColumn].ColumnType = labelType;
        }

        return definition;
    }

    /// <summary>A serving input: the features only.</summary>
    internal sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    internal sealed class KeyRow
    {
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }

    internal sealed class RegressionRow
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
