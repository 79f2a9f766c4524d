using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Calibration;
using SelfLearning.ML;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>
/// One prediction of a FastTree binary model: the library's path — a pooled engine rented and returned, the features
/// copied in, then the loop's Platt calibrator on the probability — against a bare <c>PredictionEngine.Predict</c> on
/// one thread (the usual ML.NET call, which allocates its output row). Both start from the same <see cref="double"/>
/// features, so the baseline too copies them into its <see cref="float"/> input row (four conversions). A third case
/// serves the same kind of model trained with two attribute columns (a categorical <c>clinic</c>, a text <c>note</c>),
/// featurized inside the model on every call.
/// </summary>
[MemoryDiagnoser]
public class MlNetServingBenchmarks
{
    private IClassificationPredictor _pooled = null!;
    private PlattCalibrator _calibrator = null!;
    private PredictionEngine<FeaturesRow, ProbabilityRow> _bare = null!;
    private double[] _features = [];
    private FeaturesRow _row = null!;
    private double[] _probabilities = new double[2];
    private IClassificationPredictor _attributed = null!;
    private Dictionary<string, string> _attributes = [];

    /// <summary>Trains the model (2,000 rows, 4 features) and builds both paths.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        double[,] x = new double[2_000, 4];
        var labels = new string[2_000];
        for (int i = 0; i < 2_000; i++)
        {
            double margin = 0;
            for (int j = 0; j < 4; j++)
            {
                x[i, j] = (random.NextDouble() * 4) - 2;
                margin += (j + 1) * 0.5 * x[i, j] * (j % 2 == 0 ? 1 : -1);
            }

            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? "yes" : "no";
        }

        var table = TrainingTable.ForClassification(x, labels);
        var trainer = MlNetModelTypes.FastTreeBinary();
        var artifact = trainer.TrainAsync(new TrainingContext(new TrainingData(table, table), TrainingParameters.Empty, 1), CancellationToken.None)
            .GetAwaiter().GetResult().Artifact;
        _pooled = (IClassificationPredictor)trainer.CreateLoader().Load(artifact);
        var scores = new double[table.RowCount];
        var outcomes = new bool[table.RowCount];
        for (int i = 0; i < table.RowCount; i++)
        {
            _pooled.PredictProbabilities(table.GetFeatures(i), _probabilities);
            scores[i] = _probabilities[1];
            outcomes[i] = labels[i] == "yes";
        }

        _calibrator = PlattCalibrator.Fit(scores, outcomes);
        var ml = new MLContext(1);
        var (manifest, model) = MlNetArtifact.Read(ml, artifact);
        var schema = SchemaDefinition.Create(typeof(FeaturesRow));
        schema[nameof(FeaturesRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, manifest.FeatureCount);
        _bare = ml.Model.CreatePredictionEngine<FeaturesRow, ProbabilityRow>(model, ignoreMissingColumns: true, inputSchemaDefinition: schema);
        _features = [0.3, -1.2, 0.8, 1.5];

        string[] clinics = ["north", "south", "east"];
        string[] notes = ["asked to move the visit", "fever since monday", "routine checkup", "no answer on the phone"];
        var attributed = table.WithAttributes([.. Enumerable.Range(0, table.RowCount).Select(i =>
            (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["clinic"] = clinics[i % 3], ["note"] = notes[i % 4] })]);
        var withAttributes = trainer.WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("note"));
        _attributed = (IClassificationPredictor)withAttributes.CreateLoader().Load(withAttributes
            .TrainAsync(new TrainingContext(new TrainingData(attributed, attributed), TrainingParameters.Empty, 1), CancellationToken.None)
            .GetAwaiter().GetResult().Artifact);
        _attributes = new Dictionary<string, string> { ["clinic"] = "south", ["note"] = "fever since monday" };
        _row = new FeaturesRow { Features = [.. _features.Select(v => (float)v)] };
    }

    /// <summary>A bare ML.NET prediction engine on one thread, fed the same features.</summary>
    [Benchmark(Baseline = true)]
    public float BarePredictionEngine()
    {
        float[] row = _row.Features;
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = (float)_features[j];
        }

        return _bare.Predict(_row).Probability;
    }

    /// <summary>The pooled engine with the library's calibrator applied.</summary>
    [Benchmark]
    public double PooledWithCalibration()
    {
        _pooled.PredictProbabilities(_features, _probabilities);
        return _calibrator.Calibrate(_probabilities[1]);
    }

    /// <summary>The pooled engine of a model with a categorical and a text attribute column, with the calibrator.</summary>
    [Benchmark]
    public double PooledWithAttributes()
    {
        _attributed.PredictProbabilities(_features, _attributes, _probabilities);
        return _calibrator.Calibrate(_probabilities[1]);
    }

    /// <summary>The input row.</summary>
    public sealed class FeaturesRow
    {
        /// <summary>Gets or sets the features.</summary>
        public float[] Features { get; set; } = [];
    }

    /// <summary>The output row.</summary>
    public sealed class ProbabilityRow
    {
        /// <summary>Gets or sets the calibrated probability.</summary>
        public float Probability { get; set; }
    }
}
