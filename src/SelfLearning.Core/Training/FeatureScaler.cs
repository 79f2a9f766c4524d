using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace SelfLearning.Training;

/// <summary>
/// Standardises features as scikit-learn's <c>StandardScaler</c> does: subtract the training mean, divide by the
/// population standard deviation (ddof = 0); a constant column keeps scale 1.
/// </summary>
internal sealed class FeatureScaler
{
    public FeatureScaler(double[] means, double[] scales)
    {
        Means = means;
        Scales = scales;
    }

    public double[] Means { get; }

    public double[] Scales { get; }

    public static FeatureScaler Fit(Matrix<double> features)
    {
        int d = features.ColumnCount;
        var means = new double[d];
        var scales = new double[d];
        for (int j = 0; j < d; j++)
        {
            var (mean, variance) = features.Column(j).MeanVariance();
            double populationVariance = features.RowCount > 1 ? variance * (features.RowCount - 1) / features.RowCount : 0.0;
            means[j] = mean;
            double sd = Math.Sqrt(populationVariance);
            scales[j] = sd > 0.0 ? sd : 1.0;
        }

        return new FeatureScaler(means, scales);
    }

    public static FeatureScaler Identity(int featureCount) => new(new double[featureCount], Enumerable.Repeat(1.0, featureCount).ToArray());

    public Matrix<double> Transform(Matrix<double> features) =>
        features.MapIndexed((i, j, v) => (v - Means[j]) / Scales[j]);

    public void Transform(ReadOnlySpan<double> features, Span<double> destination)
    {
        for (int j = 0; j < Means.Length; j++)
        {
            destination[j] = (features[j] - Means[j]) / Scales[j];
        }
    }
}
