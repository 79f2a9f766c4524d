using Microsoft.ML;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// A loaded ML.NET model version: the transformer, for batch scoring through <see cref="IDataView"/>, and a pool of
/// prediction engines, for single predictions from many threads. The task-specific predictors derive from it.
/// </summary>
internal abstract class MlNetPredictor : IPredictor
{
    protected MlNetPredictor(MLContext ml, ITransformer model, MlNetArtifact.Manifest manifest)
    {
        Context = ml;
        Model = model;
        Manifest = manifest;
        Attributes = manifest.AttributeColumns();
        AttributeNames = [.. Attributes.Select(a => a.Name)];
    }

    /// <inheritdoc />
    public string Format => MlNetPredictorLoader.ArtifactFormat;

    /// <inheritdoc />
    public int FeatureCount => Manifest.FeatureCount;

    /// <inheritdoc />
    public IReadOnlyList<string> AttributeNames { get; }

    /// <summary>Gets the attribute columns the model reads, as its manifest declares them.</summary>
    public IReadOnlyList<MlNetAttributeColumn> Attributes { get; }

    /// <summary>Gets the model type that trained the version.</summary>
    public string ModelType => Manifest.ModelType;

    /// <summary>Gets the ML.NET transformer (the whole fitted pipeline).</summary>
    public ITransformer Model { get; }

    /// <summary>Gets how many prediction engines the pool has created.</summary>
    public abstract long EnginesCreated { get; }

    protected MLContext Context { get; }

    internal MlNetArtifact.Manifest Manifest { get; }

    /// <summary>Scores a whole table at once through <see cref="IDataView"/> (held-out evaluation).</summary>
    public IDataView Score(TrainingTable table) =>
        Model.Transform(MlNetRows.ToDataView(Context, table, Manifest.TaskKind, Manifest.Classes, Attributes));

    protected void EnsureWidth(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException(
                $"The ML.NET model takes {FeatureCount} features, but the input has {features.Length}.", nameof(features));
        }
    }
}

/// <summary>A binary or multiclass ML.NET classifier.</summary>
internal sealed class MlNetClassificationPredictor : MlNetPredictor, IClassificationPredictor
{
    private readonly EnginePool<MlNetRows.ProbabilityOutput>? _probability;
    private readonly EnginePool<MlNetRows.ScoreOutput>? _margin;
    private readonly EnginePool<MlNetRows.VectorOutput>? _vector;

    public MlNetClassificationPredictor(MLContext ml, ITransformer model, MlNetArtifact.Manifest manifest)
        : base(ml, model, manifest)
    {
        if (manifest.TaskKind == TaskKind.BinaryClassification)
        {
            // A calibrated binary trainer adds Probability; an uncalibrated one only a margin, served through the logistic.
            var output = model.GetOutputSchema(MlNetRows.EmptyInput(ml, manifest.FeatureCount, Attributes).Schema);
            if (output.GetColumnOrNull("Probability") is not null)
            {
                _probability = new(ml, model, manifest.FeatureCount, Attributes);
            }
            else
            {
                _margin = new(ml, model, manifest.FeatureCount, Attributes);
            }
        }
        else
        {
            _vector = new(ml, model, manifest.FeatureCount, Attributes);
        }
    }

    public IReadOnlyList<string> Classes => Manifest.Classes;

    public override long EnginesCreated => _probability?.EnginesCreated ?? _margin?.EnginesCreated ?? _vector!.EnginesCreated;

    public void PredictProbabilities(ReadOnlySpan<double> features, Span<double> destination) =>
        PredictProbabilities(features, TrainingTable.NoAttributes, destination);

    public void PredictProbabilities(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes, Span<double> destination)
    {
        EnsureWidth(features);
        int classes = Manifest.Classes.Count;
        if (destination.Length != classes)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values, but the model has {classes} classes.", nameof(destination));
        }

        if (_probability is not null)
        {
            var lease = _probability.Rent();
            try
            {
                double p = Math.Clamp(lease.Predict(features, attributes).Probability, 0.0, 1.0);
                destination[0] = 1.0 - p;
                destination[1] = p;
            }
            finally
            {
                _probability.Return(lease);
            }
        }
        else if (_margin is not null)
        {
            var lease = _margin.Rent();
            try
            {
                double p = 1.0 / (1.0 + Math.Exp(-lease.Predict(features, attributes).Score));
                destination[0] = 1.0 - p;
                destination[1] = p;
            }
            finally
            {
                _margin.Return(lease);
            }
        }
        else
        {
            var lease = _vector!.Rent();
            try
            {
                Normalize(lease.Predict(features, attributes).Score, destination);
            }
            finally
            {
                _vector.Return(lease);
            }
        }
    }

    /// <summary>Copies class scores into <paramref name="destination"/> as probabilities summing to 1 (uniform if none is positive).</summary>
    internal static void Normalize(ReadOnlySpan<float> scores, Span<double> destination)
    {
        double sum = 0.0;
        for (int k = 0; k < destination.Length; k++)
        {
            double v = k < scores.Length && float.IsFinite(scores[k]) ? Math.Max(scores[k], 0.0) : 0.0;
            destination[k] = v;
            sum += v;
        }

        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = sum > 0.0 ? destination[k] / sum : 1.0 / destination.Length;
        }
    }

}

/// <summary>An ML.NET regressor.</summary>
internal sealed class MlNetRegressionPredictor(MLContext ml, ITransformer model, MlNetArtifact.Manifest manifest)
    : MlNetPredictor(ml, model, manifest), IRegressionPredictor
{
    private readonly EnginePool<MlNetRows.ScoreOutput> _pool = new(ml, model, manifest.FeatureCount, manifest.AttributeColumns());

    public override long EnginesCreated => _pool.EnginesCreated;

    public double Predict(ReadOnlySpan<double> features) => Predict(features, TrainingTable.NoAttributes);

    public double Predict(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes)
    {
        EnsureWidth(features);
        var lease = _pool.Rent();
        try
        {
            return lease.Predict(features, attributes).Score;
        }
        finally
        {
            _pool.Return(lease);
        }
    }
}

/// <summary>An ML.NET clustering (k-means): the nearest center by ML.NET's distances, lowest index on a tie.</summary>
internal sealed class MlNetClusteringPredictor(MLContext ml, ITransformer model, MlNetArtifact.Manifest manifest, int clusterCount)
    : MlNetPredictor(ml, model, manifest), IClusteringPredictor
{
    private readonly EnginePool<MlNetRows.VectorOutput> _pool = new(ml, model, manifest.FeatureCount, manifest.AttributeColumns());

    public int ClusterCount { get; } = clusterCount;

    public override long EnginesCreated => _pool.EnginesCreated;

    public int Assign(ReadOnlySpan<double> features) => Assign(features, TrainingTable.NoAttributes);

    public int Assign(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes)
    {
        EnsureWidth(features);
        var lease = _pool.Rent();
        try
        {
            var distances = lease.Predict(features, attributes).Score;
            int best = 0;
            for (int k = 1; k < distances.Length; k++)
            {
                best = distances[k] < distances[best] ? k : best;
            }

            return best;
        }
        finally
        {
            _pool.Return(lease);
        }
    }
}
