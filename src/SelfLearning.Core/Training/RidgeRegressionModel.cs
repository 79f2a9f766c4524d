using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>A fitted ridge regression on standardised features: ŷ = b + w·z.</summary>
internal sealed class RidgeRegressionModel : IRegressionPredictor
{
    /// <summary>The artifact format name.</summary>
    public const string ArtifactFormat = "selflearning.ridge-regression.v1+json";

    private readonly FeatureScaler _scaler;
    private readonly double[] _coefficients;

    internal RidgeRegressionModel(FeatureScaler scaler, double[] coefficients, double intercept)
    {
        _scaler = scaler;
        _coefficients = coefficients;
        Intercept = intercept;
    }

    /// <inheritdoc />
    public string Format => ArtifactFormat;

    /// <inheritdoc />
    public int FeatureCount => _coefficients.Length;

    /// <summary>Gets the coefficients on standardised features.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>Gets the intercept (unpenalised).</summary>
    public double Intercept { get; }

    /// <summary>Loads a model from its artifact.</summary>
    /// <param name="artifact">An artifact of <see cref="ArtifactFormat"/>.</param>
    /// <returns>The model.</returns>
    public static RidgeRegressionModel Load(TrainingArtifact artifact)
    {
        Guard.NotNull(artifact);
        using var document = ArtifactJson.Open(artifact, ArtifactFormat);
        var root = document.RootElement;
        return new RidgeRegressionModel(
            new FeatureScaler(ArtifactJson.Doubles(root, "means"), ArtifactJson.Doubles(root, "scales")),
            ArtifactJson.Doubles(root, "coefficients"),
            ArtifactJson.Property(root, "intercept").GetDouble());
    }

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features)
    {
        ArtifactJson.EnsureLength(features, FeatureCount);
        double y = Intercept;
        for (int j = 0; j < _coefficients.Length; j++)
        {
            y += _coefficients[j] * (features[j] - _scaler.Means[j]) / _scaler.Scales[j];
        }

        return y;
    }

    internal TrainingArtifact ToArtifact() => new(ArtifactFormat, ArtifactJson.Write(ArtifactFormat, writer =>
    {
        ArtifactJson.WriteArray(writer, "means", _scaler.Means);
        ArtifactJson.WriteArray(writer, "scales", _scaler.Scales);
        ArtifactJson.WriteArray(writer, "coefficients", _coefficients);
        writer.WriteNumber("intercept", Intercept);
    }));
}
