using MathNet.Numerics;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>A fitted k-means clustering (customer segmentation) with centers on standardised features.</summary>
internal sealed class KMeansModel : IClusteringPredictor
{
    /// <summary>The artifact format name.</summary>
    public const string ArtifactFormat = "selflearning.kmeans.v1+json";

    private readonly FeatureScaler _scaler;
    private readonly double[][] _centers;

    internal KMeansModel(FeatureScaler scaler, double[][] centers)
    {
        _scaler = scaler;
        _centers = centers;
    }

    /// <inheritdoc />
    public string Format => ArtifactFormat;

    /// <inheritdoc />
    public int FeatureCount => _scaler.Means.Length;

    /// <inheritdoc />
    public int ClusterCount => _centers.Length;

    /// <summary>Gets the cluster centers on standardised features.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Centers => _centers;

    /// <summary>Loads a model from its artifact.</summary>
    /// <param name="artifact">An artifact of <see cref="ArtifactFormat"/>.</param>
    /// <returns>The model.</returns>
    public static KMeansModel Load(TrainingArtifact artifact)
    {
        Guard.NotNull(artifact);
        using var document = ArtifactJson.Open(artifact, ArtifactFormat);
        var root = document.RootElement;
        var centers = ArtifactJson.Property(root, "centers").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        return new KMeansModel(new FeatureScaler(ArtifactJson.Doubles(root, "means"), ArtifactJson.Doubles(root, "scales")), centers);
    }

    /// <inheritdoc />
    public int Assign(ReadOnlySpan<double> features)
    {
        ArtifactJson.EnsureLength(features, FeatureCount);
        var z = new double[FeatureCount];
        _scaler.Transform(features, z);
        return Nearest(_centers, z).Index;
    }

    /// <summary>The nearest center to <paramref name="point"/> (lowest index on a tie) and the squared distance to it.</summary>
    internal static (int Index, double SquaredDistance) Nearest(double[][] centers, double[] point)
    {
        int best = 0;
        double bestDistance = Distance.SSD(centers[0], point);
        for (int c = 1; c < centers.Length; c++)
        {
            double distance = Distance.SSD(centers[c], point);
            if (distance < bestDistance)
            {
                best = c;
                bestDistance = distance;
            }
        }

        return (best, bestDistance);
    }

    internal TrainingArtifact ToArtifact() => new(ArtifactFormat, ArtifactJson.Write(ArtifactFormat, writer =>
    {
        ArtifactJson.WriteArray(writer, "means", _scaler.Means);
        ArtifactJson.WriteArray(writer, "scales", _scaler.Scales);
        writer.WriteStartArray("centers");
        foreach (var center in _centers)
        {
            writer.WriteStartArray();
            foreach (double v in center)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }));
}
