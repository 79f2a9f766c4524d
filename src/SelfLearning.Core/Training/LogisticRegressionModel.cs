using System.Text.Json;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// A fitted logistic (two classes) or softmax (more classes) regression on standardised features. With two classes
/// one coefficient row scores the second class (as scikit-learn's <c>coef_</c>); with more, one row per class.
/// </summary>
internal sealed class LogisticRegressionModel : IClassificationPredictor
{
    /// <summary>The artifact format name.</summary>
    public const string ArtifactFormat = "selflearning.logistic-regression.v1+json";

    private readonly FeatureScaler _scaler;
    private readonly double[][] _coefficients;
    private readonly double[] _intercepts;
    private readonly string[] _classes;

    /// <summary>The coefficients on the raw features (the standardisation folded in), so a prediction is one dot product per row.</summary>
    private readonly double[][] _rawCoefficients;

    /// <summary>The intercepts on the raw features.</summary>
    private readonly double[] _rawIntercepts;

    internal LogisticRegressionModel(string[] classes, FeatureScaler scaler, double[][] coefficients, double[] intercepts)
    {
        _classes = classes;
        _scaler = scaler;
        _coefficients = coefficients;
        _intercepts = intercepts;
        _rawCoefficients = new double[coefficients.Length][];
        _rawIntercepts = new double[coefficients.Length];
        for (int k = 0; k < coefficients.Length; k++)
        {
            // w·(x − m)/s + b = (w/s)·x + (b − (w/s)·m)
            double[] raw = new double[scaler.Means.Length];
            double shift = 0.0;
            for (int j = 0; j < raw.Length; j++)
            {
                raw[j] = coefficients[k][j] / scaler.Scales[j];
                shift += raw[j] * scaler.Means[j];
            }

            _rawCoefficients[k] = raw;
            _rawIntercepts[k] = intercepts[k] - shift;
        }
    }

    /// <inheritdoc />
    public string Format => ArtifactFormat;

    /// <inheritdoc />
    public int FeatureCount => _scaler.Means.Length;

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>Gets the coefficients on standardised features: one row for two classes, one per class otherwise.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Coefficients => _coefficients;

    /// <summary>Gets the intercepts, one per coefficient row (unpenalised; summing to zero for softmax).</summary>
    public IReadOnlyList<double> Intercepts => _intercepts;

    /// <summary>Loads a model from its artifact.</summary>
    /// <param name="artifact">An artifact of <see cref="ArtifactFormat"/>.</param>
    /// <returns>The model.</returns>
    public static LogisticRegressionModel Load(TrainingArtifact artifact)
    {
        Guard.NotNull(artifact);
        using var document = ArtifactJson.Open(artifact, ArtifactFormat);
        var root = document.RootElement;
        var coefficients = ArtifactJson.Property(root, "coefficients").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        return new LogisticRegressionModel(
            ArtifactJson.Strings(root, "classes"),
            new FeatureScaler(ArtifactJson.Doubles(root, "means"), ArtifactJson.Doubles(root, "scales")),
            coefficients,
            ArtifactJson.Doubles(root, "intercepts"));
    }

    /// <inheritdoc />
    public void PredictProbabilities(ReadOnlySpan<double> features, Span<double> destination)
    {
        ArtifactJson.EnsureLength(features, FeatureCount);
        if (destination.Length != _classes.Length)
        {
            throw new ArgumentException(
                $"'{nameof(destination)}' has {destination.Length} slots but the model has {_classes.Length} classes.", nameof(destination));
        }

        if (_coefficients.Length == 1)
        {
            double p = Sigmoid(RawMargin(features, 0));
            destination[0] = 1.0 - p;
            destination[1] = p;
            return;
        }

        for (int k = 0; k < _classes.Length; k++)
        {
            destination[k] = RawMargin(features, k);
        }

        Softmax(destination);
    }

    /// <summary>The logistic function, computed without overflow.</summary>
    internal static double Sigmoid(double margin) =>
        margin >= 0 ? 1.0 / (1.0 + Math.Exp(-margin)) : Math.Exp(margin) / (1.0 + Math.Exp(margin));

    /// <summary>Turns margins into probabilities in place, subtracting the maximum first for stability.</summary>
    internal static void Softmax(Span<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        double sum = 0.0;
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = Math.Exp(values[k] - max);
            sum += values[k];
        }

        for (int k = 0; k < values.Length; k++)
        {
            values[k] /= sum;
        }
    }

    internal TrainingArtifact ToArtifact() => new(ArtifactFormat, ArtifactJson.Write(ArtifactFormat, writer =>
    {
        ArtifactJson.WriteArray(writer, "classes", _classes);
        ArtifactJson.WriteArray(writer, "means", _scaler.Means);
        ArtifactJson.WriteArray(writer, "scales", _scaler.Scales);
        writer.WriteStartArray("coefficients");
        foreach (var row in _coefficients)
        {
            writer.WriteStartArray();
            foreach (double v in row)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        ArtifactJson.WriteArray(writer, "intercepts", _intercepts);
    }));

    private double RawMargin(ReadOnlySpan<double> features, int row) =>
        _rawIntercepts[row] + Kernels.VectorKernels.Dot(_rawCoefficients[row], features);
}
