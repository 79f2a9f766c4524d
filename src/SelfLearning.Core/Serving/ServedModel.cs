using System.Buffers;
using SelfLearning.Calibration;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>
/// One loaded version, as it serves and as it is evaluated: the model type's predictor with what the loop fitted
/// around it (a classifier's calibrator, a regressor's conformal radius, a clustering's reference shares). Thread-safe
/// and allocation-free per prediction; loaded once per version and cached.
/// </summary>
internal sealed class ServedModel
{
    /// <summary>Above this many classes the probabilities go to a pooled buffer instead of the stack.</summary>
    private const int StackClasses = 64;

    private readonly ICalibrator? _calibrator;
    private readonly IClassificationPredictor? _classifier;
    private readonly IRegressionPredictor? _regressor;
    private readonly IClusteringPredictor? _clusterer;
    private readonly string[] _classes = [];
    private readonly long[] _clusterCounts = [];

    private ServedModel(int version, TaskKind task, IPredictor? predictor, ICalibrator? calibrator, double radius, double coverage, IReadOnlyList<double>? shares)
    {
        Version = version;
        TaskKind = task;
        _calibrator = calibrator;
        IntervalRadius = radius;
        IntervalCoverage = coverage;
        ReferenceShares = shares;
        switch (predictor)
        {
            case IClassificationPredictor classifier:
                _classifier = classifier;
                _classes = [.. classifier.Classes];
                break;
            case IRegressionPredictor regressor:
                _regressor = regressor;
                break;
            case IClusteringPredictor clusterer:
                _clusterer = clusterer;
                _clusterCounts = new long[clusterer.ClusterCount];
                break;
        }

        FeatureCount = predictor is ICalibrationPredictor or null ? 0 : predictor.FeatureCount;
        AttributeNames = predictor is null ? [] : predictor.AttributeNames;
    }

    /// <summary>Gets the registry version, or 0 for the baseline served before the first champion.</summary>
    public int Version { get; }

    /// <summary>Gets the task.</summary>
    public TaskKind TaskKind { get; }

    /// <summary>Gets the number of features an input needs (0 for score calibration).</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the names of the case attributes the model reads (empty for a model on features alone).</summary>
    public IReadOnlyList<string> AttributeNames { get; }

    /// <summary>Gets a classifier's classes, in the order of its class indices.</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>Gets a regressor's split-conformal interval half-width.</summary>
    public double IntervalRadius { get; }

    /// <summary>Gets the nominal coverage of the interval.</summary>
    public double IntervalCoverage { get; }

    /// <summary>Gets a clustering's share of each cluster on its held-out cases.</summary>
    public IReadOnlyList<double>? ReferenceShares { get; }

    /// <summary>Gets a clustering's live assignments per cluster since it was loaded.</summary>
    public ReadOnlySpan<long> ClusterCounts => _clusterCounts;

    /// <summary>Loads a registered version through its model type.</summary>
    public static ServedModel Load(int version, ModelType type, PackagedArtifact package)
    {
        if (package.TaskKind != type.TaskKind)
        {
            throw new InvalidOperationException(
                $"Version {version} was packaged for task {package.TaskKind} (model type '{package.ModelType}'), but model type '{type.Key}' serves {type.TaskKind}.");
        }

        IPredictor predictor = type.Load(package.Model);
        return type.TaskKind == TaskKind.ScoreCalibration
            ? new ServedModel(version, type.TaskKind, predictor, (ICalibrationPredictor)predictor, 0, 0, null)
            : new ServedModel(version, type.TaskKind, predictor, package.Calibrator, package.IntervalRadius ?? 0, package.IntervalCoverage ?? 0, package.ReferenceShares);
    }

    /// <summary>A score calibrator alone (the uncalibrated baseline has none).</summary>
    public static ServedModel ForCalibrator(int version, ICalibrator calibrator) =>
        new(version, TaskKind.ScoreCalibration, null, calibrator, 0, 0, null);

    /// <summary>Calibrates the host's score (score calibration).</summary>
    public double Calibrate(double score) => _calibrator!.Calibrate(score);

    /// <summary>Calibrates many scores (score calibration).</summary>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination) => _calibrator!.Calibrate(scores, destination);

    /// <summary>
    /// The predicted class and its calibrated probability. Binary: the calibrated probability of the second class
    /// decides; multiclass: the most probable class, its probability calibrated top-label.
    /// </summary>
    public int Classify(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes, out double probability)
    {
        IClassificationPredictor classifier = _classifier!;
        int count = _classes.Length;
        double[]? rented = null;
        Span<double> buffer = count <= StackClasses ? stackalloc double[count] : (rented = ArrayPool<double>.Shared.Rent(count)).AsSpan(0, count);
        try
        {
            classifier.PredictProbabilities(features, attributes, buffer);
            return Decide(buffer, out probability);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The class and calibrated probability for already computed class probabilities.</summary>
    public int Decide(ReadOnlySpan<double> probabilities, out double probability)
    {
        if (probabilities.Length == 2)
        {
            double second = _calibrator is null ? probabilities[1] : _calibrator.Calibrate(probabilities[1]);
            probability = second >= 0.5 ? second : 1.0 - second;
            return second >= 0.5 ? 1 : 0;
        }

        int top = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[top])
            {
                top = i;
            }
        }

        probability = _calibrator is null ? probabilities[top] : _calibrator.Calibrate(probabilities[top]);
        return top;
    }

    /// <summary>The regressor's prediction.</summary>
    public double Regress(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes) => _regressor!.Predict(features, attributes);

    /// <summary>The nearest cluster; counted for the share watch.</summary>
    public int Cluster(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes)
    {
        int cluster = _clusterer!.Assign(features, attributes);
        Interlocked.Increment(ref _clusterCounts[cluster]);
        return cluster;
    }

    /// <summary>The nearest cluster without counting it (evaluation).</summary>
    public int Assign(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes) => _clusterer!.Assign(features, attributes);

    /// <summary>The raw class probabilities (evaluation).</summary>
    public void PredictProbabilities(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes, Span<double> destination) =>
        _classifier!.PredictProbabilities(features, attributes, destination);
}
