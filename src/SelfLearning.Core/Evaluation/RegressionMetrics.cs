using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>Regression error metrics, as scikit-learn's <c>mean_squared_error</c>, <c>mean_absolute_error</c> and <c>r2_score</c>.</summary>
/// <param name="MeanSquaredError">Mean of (yᵢ − ŷᵢ)².</param>
/// <param name="RootMeanSquaredError">The square root of <paramref name="MeanSquaredError"/>.</param>
/// <param name="MeanAbsoluteError">Mean of |yᵢ − ŷᵢ|.</param>
/// <param name="RSquared">
/// 1 − SS_res / SS_tot. When the actual values are all equal (SS_tot = 0) it is 1 for a perfect prediction
/// and 0 otherwise, as scikit-learn's <c>force_finite=True</c>.
/// </param>
public sealed record RegressionMetrics(double MeanSquaredError, double RootMeanSquaredError, double MeanAbsoluteError, double RSquared)
{
    /// <summary>Computes the metrics of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    /// <param name="actual">The true values (finite).</param>
    /// <param name="predicted">The predicted values (finite).</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a non-finite value.</exception>
    public static RegressionMetrics Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Guard.NotEmpty(actual);
        Guard.SameLength(actual, predicted);
        Guard.AllFinite(actual);
        Guard.AllFinite(predicted);
        int n = actual.Length;
        double mean = 0.0;
        foreach (double y in actual)
        {
            mean += y;
        }

        mean /= n;
        double squared = 0.0;
        double absolute = 0.0;
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            double residual = actual[i] - predicted[i];
            squared += residual * residual;
            absolute += Math.Abs(residual);
            double deviation = actual[i] - mean;
            total += deviation * deviation;
        }

        double r2 = total == 0.0
            ? (squared == 0.0 ? 1.0 : 0.0)
            : 1.0 - (squared / total);
        double mse = squared / n;
        return new RegressionMetrics(mse, Math.Sqrt(mse), absolute / n, r2);
    }
}
