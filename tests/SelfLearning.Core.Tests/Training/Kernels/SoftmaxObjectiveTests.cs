using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Training;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Tests.Training.Kernels;

public sealed class SoftmaxObjectiveTests
{
    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(5, 4, 1)]
    [InlineData(7, 3, 3)]
    [InlineData(20, 5, 1)]
    public void Evaluate_AgreesWithARowByRowSumOfTheLossGradientAndHessian(int d, int classes, int rowStep)
    {
        const int n = 157; // not a multiple of the 64-row block, so the last block is partial
        const double l2 = 0.7;
        var random = new Random(13);
        var x = new double[n, d];
        var labels = new string[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = (3.0 * j) + ((j + 1) * (random.NextDouble() - 0.5));
            }

            labels[i] = ((char)('a' + random.Next(classes))).ToString();
        }

        var table = TrainingTable.ForClassification(x, labels);
        var scaler = StandardizedColumns.FitScaler(table.FeatureValues, n, d);
        int[] y = labels.Select(l => l[0] - 'a').ToArray();
        int width = d + 1;
        int size = classes * width;
        var theta = Vector<double>.Build.Dense(size, j => 0.3 * Math.Sin(j + 1.0));

        var objective = new SoftmaxObjective(table, scaler, y, classes, l2, rowStep);
        var (value, gradient, hessian) = objective.Evaluate(theta);

        // The same sums row by row, on features standardised with FeatureScaler.Transform.
        double expectedValue = 0.0;
        var expectedGradient = new double[size];
        var expectedHessian = new double[size, size];
        var z = new double[width];
        var p = new double[classes];
        for (int i = 0; i < n; i += rowStep)
        {
            scaler.Transform(table.GetFeatures(i), z);
            z[d] = 1.0;
            for (int k = 0; k < classes; k++)
            {
                p[k] = 0.0;
                for (int j = 0; j < width; j++)
                {
                    p[k] += z[j] * theta[(k * width) + j];
                }
            }

            double own = p[y[i]];
            double logSum = Math.Log(p.Sum(Math.Exp));
            expectedValue += logSum - own;
            for (int k = 0; k < classes; k++)
            {
                p[k] = Math.Exp(p[k] - logSum);
            }

            for (int k = 0; k < classes; k++)
            {
                for (int a = 0; a < width; a++)
                {
                    expectedGradient[(k * width) + a] += (p[k] - (y[i] == k ? 1.0 : 0.0)) * z[a];
                    for (int l = 0; l < classes; l++)
                    {
                        for (int b = 0; b < width; b++)
                        {
                            expectedHessian[(k * width) + a, (l * width) + b] += p[k] * ((k == l ? 1.0 : 0.0) - p[l]) * z[a] * z[b];
                        }
                    }
                }
            }
        }

        for (int k = 0; k < classes; k++)
        {
            for (int j = 0; j < d; j++)
            {
                int at = (k * width) + j;
                expectedValue += 0.5 * l2 * theta[at] * theta[at];
                expectedGradient[at] += l2 * theta[at];
                expectedHessian[at, at] += l2;
            }

            for (int l = 0; l < classes; l++)
            {
                // v·vᵀ on the intercepts (the common-shift direction).
                expectedHessian[(k * width) + d, (l * width) + d] += 1.0;
            }
        }

        objective.Value(theta).Should().Be(value);
        value.Should().BeApproximately(expectedValue, 1e-10 * Math.Abs(expectedValue));
        for (int r = 0; r < size; r++)
        {
            gradient[r].Should().BeApproximately(expectedGradient[r], 1e-10, $"gradient[{r}]");
            for (int c = 0; c < size; c++)
            {
                hessian[r, c].Should().BeApproximately(expectedHessian[r, c], 1e-10, $"hessian[{r}, {c}]");
            }
        }
    }
}
