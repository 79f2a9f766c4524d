using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Training;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Tests.Training.Kernels;

public sealed class BinaryLogisticObjectiveTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(13, 1)]
    [InlineData(20, 3)]
    public void Evaluate_AgreesWithARowByRowSumOfTheLossGradientAndHessian(int d, int rowStep)
    {
        const int n = 157; // not a multiple of the 64-row block, so the last block is partial
        const double l2 = 0.7;
        var random = new Random(11);
        var x = new double[n, d];
        var labels = new string[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = (3.0 * j) + ((j + 1) * (random.NextDouble() - 0.5));
            }

            labels[i] = random.NextDouble() < 0.4 ? "1" : "0";
        }

        var table = TrainingTable.ForClassification(x, labels);
        var scaler = StandardizedColumns.FitScaler(table.FeatureValues, n, d);
        byte[] y = labels.Select(l => l == "1" ? (byte)1 : (byte)0).ToArray();
        var theta = Vector<double>.Build.Dense(d + 1, j => 0.3 * Math.Sin(j + 1.0));

        var (value, gradient, hessian) = new BinaryLogisticObjective(table, scaler, y, l2, rowStep).Evaluate(theta);

        // The same sums row by row, on features standardised with FeatureScaler.Transform.
        int width = d + 1;
        double expectedValue = 0.0;
        var expectedGradient = new double[width];
        var expectedHessian = new double[width, width];
        var z = new double[width];
        for (int i = 0; i < n; i += rowStep)
        {
            scaler.Transform(table.GetFeatures(i), z);
            z[d] = 1.0;
            double m = 0.0;
            for (int j = 0; j < width; j++)
            {
                m += z[j] * theta[j];
            }

            double p = 1.0 / (1.0 + Math.Exp(-m));
            expectedValue += Math.Log(1.0 + Math.Exp(m)) - (y[i] * m);
            for (int j = 0; j < width; j++)
            {
                expectedGradient[j] += (p - y[i]) * z[j];
                for (int l = 0; l < width; l++)
                {
                    expectedHessian[j, l] += p * (1.0 - p) * z[j] * z[l];
                }
            }
        }

        for (int j = 0; j < d; j++)
        {
            expectedValue += 0.5 * l2 * theta[j] * theta[j];
            expectedGradient[j] += l2 * theta[j];
            expectedHessian[j, j] += l2;
        }

        value.Should().BeApproximately(expectedValue, 1e-10 * Math.Abs(expectedValue));
        for (int j = 0; j < width; j++)
        {
            gradient[j].Should().BeApproximately(expectedGradient[j], 1e-10, $"gradient[{j}]");
            for (int l = 0; l < width; l++)
            {
                hessian[j, l].Should().BeApproximately(expectedHessian[j, l], 1e-10, $"hessian[{j}, {l}]");
            }
        }
    }
}
