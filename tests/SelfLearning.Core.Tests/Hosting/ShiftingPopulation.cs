using System.Globalization;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// A synthetic host population on <see cref="FeatureCount"/> features whose distribution and truth shift over time, for
/// the feature-model weeks. The truth is drawn from the generating process, never chosen to match a verdict:
/// three features carry the signal, the other seventeen are noise a model has to learn to ignore.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Regime.Original"/>: x ~ N(0, 1); the label or value depends weakly on x0..x2 (noisy outcomes).</item>
/// <item><see cref="Regime.Shifted"/>: the signal features' means move (0.5, −0.5, 0.3) and the truth changes: the
/// classes follow a steeper, slightly rotated rule, the regression a different slope and intercept with less noise,
/// the segments move halfway towards their neighbours (<see cref="ShiftedCenter"/>). A model trained on the original population is now miscalibrated or biased.</item>
/// <item><see cref="Regime.Degraded"/>: an upstream fault. For a model with outcomes the feed swaps columns x0 and x1
/// of the served input (the truth still comes from the real features); for a clustering the traffic comes from one
/// segment only.</item>
/// </list>
/// </remarks>
internal sealed class ShiftingPopulation
{
    /// <summary>The number of features of every case.</summary>
    public const int FeatureCount = 20;

    private static readonly double[] ShiftedMeans = [0.5, -0.5, 0.3];
    private readonly Random _random;

    public ShiftingPopulation(TaskKind task, int seed)
    {
        Task = task;
        _random = new Random(seed);
    }

    /// <summary>The regimes the population passes through.</summary>
    public enum Regime
    {
        /// <summary>The population the first champion is trained on.</summary>
        Original,

        /// <summary>The population after the shift.</summary>
        Shifted,

        /// <summary>An upstream fault in the shifted population.</summary>
        Degraded,
    }

    public TaskKind Task { get; }

    /// <summary>Draws one unit: the features the host serves, and the truth (a label, or a value as invariant text).</summary>
    public (double[] Served, string Truth) Next(Regime regime)
    {
        bool shifted = regime != Regime.Original;
        if (Task == TaskKind.Clustering)
        {
            int segment = regime == Regime.Degraded ? 0 : _random.Next(3);
            var point = new double[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                point[j] = (shifted ? ShiftedCenter(segment, j) : (j == segment ? 5.0 : 0.0)) + (0.6 * Normal());
            }

            return (point, segment.ToString(CultureInfo.InvariantCulture));
        }

        var x = new double[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
        {
            x[j] = Normal() + (shifted && j < ShiftedMeans.Length ? ShiftedMeans[j] : 0.0);
        }

        string truth = Task switch
        {
            TaskKind.BinaryClassification => Binary(x, shifted),
            TaskKind.MulticlassClassification => Multiclass(x, shifted),
            TaskKind.Regression => Regression(x, shifted).ToString("R", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(regime), Task, "The population has no truth for this task."),
        };
        double[] served = (double[])x.Clone();
        if (regime == Regime.Degraded)
        {
            (served[0], served[1]) = (served[1], served[0]);
        }

        return (served, truth);
    }

    /// <summary>
    /// After the shift segment s sits halfway between the original centres of s and s + 1 (mod 3): every old centre now
    /// takes half of two segments, so the old clustering mixes segments while its shares stay a third each.
    /// </summary>
    private static double ShiftedCenter(int segment, int j) => j == segment || j == (segment + 1) % 3 ? 2.5 : 0.0;

    private string Binary(double[] x, bool shifted)
    {
        double margin = shifted
            ? 3.5 * ((1.2 * x[0]) - (0.7 * x[1]) + (0.9 * x[2]))
            : (1.2 * x[0]) - (1.0 * x[1]) + (0.6 * x[2]);
        return _random.NextDouble() < 1.0 / (1.0 + Math.Exp(-margin)) ? "yes" : "no";
    }

    private string Multiclass(double[] x, bool shifted)
    {
        double temperature = shifted ? 3.0 : 1.0;
        double[] scores =
        [
            temperature * 1.5 * x[0],
            temperature * 1.5 * x[1],
            temperature * ((-x[0]) - x[1] + ((shifted ? 1.5 : 0.8) * x[2])),
        ];
        double max = scores.Max();
        double[] weights = [.. scores.Select(s => Math.Exp(s - max))];
        double u = _random.NextDouble() * weights.Sum();
        int k = 0;
        while (k < weights.Length - 1 && u >= weights[k])
        {
            u -= weights[k];
            k++;
        }

        return ((char)('a' + k)).ToString();
    }

    private double Regression(double[] x, bool shifted) => shifted
        ? (2.3 * x[0]) - x[1] + (0.5 * x[2]) + 0.7 + (0.3 * Normal())
        : (2.0 * x[0]) - x[1] + (0.5 * x[2]) + 0.5 + (1.0 * Normal());

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private double Normal() =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - _random.NextDouble())) * Math.Cos(2.0 * Math.PI * _random.NextDouble());
}
