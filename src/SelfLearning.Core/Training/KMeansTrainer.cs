using MathNet.Numerics;
using MathNet.Numerics.Random;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// k-means for customer segmentation on standardised features: k-means++ seeding from the context's seed, Lloyd
/// iterations until no assignment changes (converged) or the iteration limit, and the best of several seeded
/// restarts by inertia. Parameters: <c>k</c> (default 3), <c>max_iterations</c> (default 300), <c>restarts</c>
/// (default 4). Metrics: the silhouette score of the validation split's assignments, validation and training inertia,
/// iterations and convergence.
/// </summary>
/// <remarks>
/// Lloyd's algorithm and the silhouette are written by hand (distances through MathNet.Numerics): MathNet has no
/// clustering, and Microsoft.ML is not available here.
/// </remarks>
public sealed class KMeansTrainer : ITunableTrainer
{
    /// <summary>The model-type key.</summary>
    public const string Key = "kmeans";

    /// <summary>The cluster count parameter name.</summary>
    public const string KParameter = "k";

    /// <summary>The iteration limit parameter name.</summary>
    public const string MaxIterationsParameter = "max_iterations";

    /// <summary>The restart count parameter name.</summary>
    public const string RestartsParameter = "restarts";

    private const int DefaultK = 3;
    private const int DefaultMaxIterations = 300;
    private const int DefaultRestarts = 4;

    /// <inheritdoc />
    public string ModelType => Key;

    /// <inheritdoc />
    /// <value>Clustering.</value>
    public TaskKind TaskKind => TaskKind.Clustering;

    /// <summary>Gets the grid searched when tuning: k from 2 to 6, ranked by silhouette.</summary>
    public HyperparameterSpace SearchSpace { get; } =
        new HyperparameterSpace(TrainingMetrics.Silhouette, MetricGoal.Maximize, folds: 3).With(KParameter, 2, 3, 4, 5, 6);

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(context);
        TrainingGuard.DataKind(context, TrainingTableKind.Clustering, Key);
        var parameters = context.Parameters;
        parameters.EnsureOnly(Key, KParameter, MaxIterationsParameter, RestartsParameter);
        int k = Guard.InRange(parameters.GetInt32(KParameter, DefaultK), 2, int.MaxValue, KParameter);
        int maxIterations = Guard.Positive(parameters.GetInt32(MaxIterationsParameter, DefaultMaxIterations), MaxIterationsParameter);
        int restarts = Guard.Positive(parameters.GetInt32(RestartsParameter, DefaultRestarts), RestartsParameter);
        var training = context.Data.Training;
        if (training.RowCount < k)
        {
            throw new ArgumentException($"The training split has {training.RowCount} rows, fewer than k = {k} clusters.", nameof(context));
        }

        var scaler = FeatureScaler.Fit(training.FeatureMatrix());
        double[][] points = Standardise(training, scaler);
        Fit? best = null;
        for (int restart = 0; restart < restarts; restart++)
        {
            await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
            context.Report(80.0 * restart / restarts, "clustering");
            var rng = new MersenneTwister(unchecked(context.Seed + restart));
            var fit = Lloyd(points, SeedPlusPlus(points, k, rng), maxIterations);
            if (best is null || fit.Inertia < best.Inertia)
            {
                best = fit;
            }
        }

        if (!best!.Converged)
        {
            TrainingLog.NotConverged(context.Logger, Key, best.Iterations);
        }

        context.Report(90, "validating");
        var model = new KMeansModel(scaler, best.Centers);
        double[][] validation = Standardise(context.Data.Validation, scaler);
        int[] labels = new int[validation.Length];
        double validationInertia = 0.0;
        for (int i = 0; i < validation.Length; i++)
        {
            (labels[i], double distance) = KMeansModel.Nearest(best.Centers, validation[i]);
            validationInertia += distance;
        }

        var metrics = new Dictionary<string, double>
        {
            [TrainingMetrics.Inertia] = validationInertia,
            ["training_inertia"] = best.Inertia,
            [TrainingMetrics.Iterations] = best.Iterations,
            [TrainingMetrics.Converged] = best.Converged ? 1 : 0,
        };
        int used = labels.Distinct().Count();
        if (used >= 2 && used < validation.Length)
        {
            // The silhouette is defined only for 2 ≤ clusters present < points; otherwise it is left out, not NaN.
            metrics[TrainingMetrics.Silhouette] = Silhouette(validation, labels);
        }

        var usedParameters = TrainingParameters.Empty.With(KParameter, k).With(MaxIterationsParameter, maxIterations).With(RestartsParameter, restarts);
        return new TrainingResult(model.ToArtifact(), metrics, usedParameters);
    }

    /// <summary>k-means++ (Arthur and Vassilvitskii 2007): the first center uniformly, each next with probability ∝ D².</summary>
    internal static double[][] SeedPlusPlus(double[][] points, int k, Random rng)
    {
        var centers = new double[k][];
        centers[0] = (double[])points[rng.Next(points.Length)].Clone();
        var d2 = points.Select(p => Distance.SSD(p, centers[0])).ToArray();
        for (int c = 1; c < k; c++)
        {
            double total = d2.Sum();
            int chosen = points.Length - 1;
            if (total > 0.0)
            {
                double target = rng.NextDouble() * total;
                double cumulative = 0.0;
                for (int i = 0; i < points.Length; i++)
                {
                    cumulative += d2[i];
                    if (cumulative > target)
                    {
                        chosen = i;
                        break;
                    }
                }
            }
            else
            {
                chosen = rng.Next(points.Length);
            }

            centers[c] = (double[])points[chosen].Clone();
            for (int i = 0; i < points.Length; i++)
            {
                d2[i] = Math.Min(d2[i], Distance.SSD(points[i], centers[c]));
            }
        }

        return centers;
    }

    /// <summary>
    /// Lloyd's algorithm from <paramref name="initialCenters"/>: assign each point to its nearest center, move each
    /// center to its points' mean, until no assignment changes. An emptied cluster takes the point farthest from its
    /// center, as scikit-learn does.
    /// </summary>
    internal static Fit Lloyd(double[][] points, double[][] initialCenters, int maxIterations)
    {
        int k = initialCenters.Length;
        int d = points[0].Length;
        var centers = initialCenters.Select(c => (double[])c.Clone()).ToArray();
        var labels = new int[points.Length];
        Array.Fill(labels, -1);
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            bool changed = false;
            var distances = new double[points.Length];
            for (int i = 0; i < points.Length; i++)
            {
                var (label, distance) = KMeansModel.Nearest(centers, points[i]);
                changed |= label != labels[i];
                labels[i] = label;
                distances[i] = distance;
            }

            if (!changed)
            {
                return new Fit(centers, labels, distances.Sum(), iteration - 1, true);
            }

            var counts = new int[k];
            var sums = new double[k][];
            for (int c = 0; c < k; c++)
            {
                sums[c] = new double[d];
            }

            for (int i = 0; i < points.Length; i++)
            {
                counts[labels[i]]++;
                for (int j = 0; j < d; j++)
                {
                    sums[labels[i]][j] += points[i][j];
                }
            }

            var farthest = Enumerable.Range(0, points.Length).OrderByDescending(i => distances[i]).ThenBy(i => i).GetEnumerator();
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    farthest.MoveNext();
                    centers[c] = (double[])points[farthest.Current].Clone();
                    continue;
                }

                for (int j = 0; j < d; j++)
                {
                    centers[c][j] = sums[c][j] / counts[c];
                }
            }
        }

        double inertia = 0.0;
        for (int i = 0; i < points.Length; i++)
        {
            (labels[i], double distance) = KMeansModel.Nearest(centers, points[i]);
            inertia += distance;
        }

        return new Fit(centers, labels, inertia, maxIterations, false);
    }

    /// <summary>
    /// The mean silhouette (Rousseeuw 1987) with Euclidean distance, as scikit-learn's <c>silhouette_score</c>: a point
    /// alone in its cluster scores 0.
    /// </summary>
    internal static double Silhouette(double[][] points, int[] labels)
    {
        int clusters = labels.Max() + 1;
        var sizes = new int[clusters];
        foreach (int label in labels)
        {
            sizes[label]++;
        }

        double total = 0.0;
        var sums = new double[clusters];
        for (int i = 0; i < points.Length; i++)
        {
            Array.Clear(sums);
            for (int j = 0; j < points.Length; j++)
            {
                if (i != j)
                {
                    sums[labels[j]] += Distance.Euclidean(points[i], points[j]);
                }
            }

            int own = labels[i];
            if (sizes[own] <= 1)
            {
                continue;
            }

            double a = sums[own] / (sizes[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < clusters; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, sums[c] / sizes[c]);
                }
            }

            double denominator = Math.Max(a, b);
            total += denominator > 0.0 ? (b - a) / denominator : 0.0;
        }

        return total / points.Length;
    }

    private static double[][] Standardise(TrainingTable table, FeatureScaler scaler)
    {
        var rows = new double[table.RowCount][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[table.FeatureCount];
            scaler.Transform(table.GetFeatures(i), rows[i]);
        }

        return rows;
    }

    /// <summary>One Lloyd run's outcome.</summary>
    internal sealed record Fit(double[][] Centers, int[] Labels, double Inertia, int Iterations, bool Converged);
}
