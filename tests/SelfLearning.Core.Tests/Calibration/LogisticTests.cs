using System.Runtime.Intrinsics;
using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

/// <summary>The hand-written vector exponential and the sigmoid built on it, against Math.Exp.</summary>
public sealed class LogisticTests
{
    [Fact]
    public void ExpNonPositive_NormalRange_WithinTwoUlpOfMathExp()
    {
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            // Uniform over the whole normal range, plus the reduction's edges near multiples of ln 2 / 2.
            double x = i % 2 == 0 ? -708.0 * random.NextDouble() : -(i / 2 % 1000) * (Math.Log(2.0) / 2.0);
            double expected = Math.Exp(x);
            double actual = Logistic.ExpNonPositive(Vector256.Create(x)).ToScalar();
            Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(4.5e-16 * expected, $"x = {x:R}");
        }
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-1e-300, 1.0)]
    [InlineData(-746.0, 0.0)]
    [InlineData(-1e6, 0.0)]
    [InlineData(double.MinValue, 0.0)]
    public void ExpNonPositive_Edges_Exact(double x, double expected) =>
        Logistic.ExpNonPositive(Vector256.Create(x)).ToScalar().Should().Be(expected);

    [Fact]
    public void ExpNonPositive_SubnormalRange_KeepsTinyValues()
    {
        for (double x = -709.0; x > -744.0; x -= 0.37)
        {
            double expected = Math.Exp(x);
            double actual = Logistic.ExpNonPositive(Vector256.Create(x)).ToScalar();

            // Subnormals carry fewer bits, so compare to the spacing of the smallest normal's neighbourhood.
            Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(Math.Max(4.5e-16 * expected, double.Epsilon), $"x = {x:R}");
        }
    }

    [Fact]
    public void Sigmoid_MatchesTheTextbookFormula()
    {
        for (double z = -30.0; z <= 30.0; z += 0.173)
        {
            Logistic.Sigmoid(z).Should().BeApproximately(1.0 / (1.0 + Math.Exp(-z)), 1e-15 * Math.Max(1.0 / (1.0 + Math.Exp(-z)), 1e-300), $"z = {z:R}");
        }

        Logistic.Sigmoid(800.0).Should().Be(1.0);
        Logistic.Sigmoid(-800.0).Should().Be(0.0);
        Logistic.Sigmoid(0.0).Should().Be(0.5);
    }

    [Fact]
    public void SigmoidVector_EqualsScalarInEveryLaneBitForBit()
    {
        double[] z = [-40.5, -0.3, 1e-9, 17.25];
        var lanes = Logistic.Sigmoid(Vector256.Create(z));
        for (int i = 0; i < z.Length; i++)
        {
            lanes.GetElement(i).Should().Be(Logistic.Sigmoid(z[i]), $"lane {i}");
        }
    }
}
