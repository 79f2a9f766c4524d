using SelfLearning.Training;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Tests.Training.Kernels;

public sealed class StandardizedPanelsTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(3, 21)]
    [InlineData(8, 16)]
    [InlineData(10, 1_003)]
    [InlineData(17, 45)]
    public void Create_HoldsEachValueStandardisedAsTheScalerDoes_InPanelOrder(int d, int n)
    {
        var random = new Random(d * 100 + n);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = (j * 10.0) + (random.NextDouble() * (j + 1));
            }
        }

        var table = TrainingTable.ForClustering(x);
        var panels = StandardizedPanels.Create(table);
        try
        {
            var expected = new double[d];
            for (int i = 0; i < n; i++)
            {
                panels.Scaler.Transform(table.GetFeatures(i), expected);
                for (int j = 0; j < d; j++)
                {
                    panels.Values[StandardizedPanels.IndexOf(i, j, d)].Should().Be(expected[j], "row {0}, column {1}", i, j);
                    panels.Values[(((i / 8 * d) + j) * 8) + (i % 8)].Should().Be(expected[j]);
                }
            }

            // The last panel's padding rows are zeros, so scoring them cannot overflow or produce NaN.
            for (int i = n; i < (n + 7) / 8 * 8; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    panels.Values[StandardizedPanels.IndexOf(i, j, d)].Should().Be(0.0);
                }
            }
        }
        finally
        {
            panels.Return();
        }
    }
}
