using System.Buffers;
using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.Random;
using SelfLearning.Evaluation;
using SelfLearning.Internal;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Training;

/// <summary>
/// k-means for customer segmentation on standardised features: k-means++ seeding from the context's seed, Lloyd
/// iterations until no assignment changes (converged) or the iteration limit, and the best of several seeded
/// restarts by inertia. Parameters: <c>k</c> (default 3), <c>max_iterations</c> (default 300), <c>restarts</c>
/// (default 4), <c>initial_centers</c> (optional; see <see cref="InitialCentersParameter"/>). Metrics: the silhouette score of the validation split's assignments, validation and training inertia,
/// iterations and convergence.
/// </summary>
/// <remarks>
/// Lloyd's algorithm and the silhouette are written by hand: MathNet has no clustering, and Microsoft.ML is not
/// available here. The assignment step is vectorised over panels of eight rows of the one standardised copy of the
/// data (<c>Kernels/StandardizedPanels.cs</c>, <c>Kernels/LloydSolver.cs</c>).
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

    /// <summary>
    /// The initial-centres parameter name: k centres in the training features' own units (standardised with the
    /// training split's statistics before use), rows separated by <c>;</c> and values by <c>,</c> in invariant form,
    /// e.g. <c>"1.5,20;4,7"</c>. When given, Lloyd's iterations start from these centres once (<c>restarts</c> 1)
    /// instead of from k-means++ seeds, as scikit-learn's <c>KMeans(init=array, n_init=1)</c>; <c>k</c> defaults to
    /// their count.
    /// </summary>
    public const string InitialCentersParameter = "initial_centers";

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
        parameters.EnsureOnly(Key, KParameter, MaxIterationsParameter, RestartsParameter, InitialCentersParameter);
        var training = context.Data.Training;
        double[][]? initial = parameters.Values.ContainsKey(InitialCentersParameter)
            ? ParseCenters(parameters[InitialCentersParameter], training.FeatureCount)
            : null;
        int k = Guard.InRange(parameters.GetInt32(KParameter, initial?.Length ?? DefaultK), 2, int.MaxValue, KParameter);
        int maxIterations = Guard.Positive(parameters.GetInt32(MaxIterationsParameter, DefaultMaxIterations), MaxIterationsParameter);
        int restarts = Guard.Positive(parameters.GetInt32(RestartsParameter, initial is null ? DefaultRestarts : 1), RestartsParameter);
        if (initial is not null && initial.Length != k)
        {
            throw ParameterError(InitialCentersParameter, $"'{InitialCentersParameter}' holds {initial.Length} centres but k = {k}.");
        }

        if (initial is not null && restarts != 1)
        {
            throw ParameterError(
                RestartsParameter,
                $"'{RestartsParameter}' is {restarts}, but with '{InitialCentersParameter}' every restart would start from the same centres; use 1.");
        }

        if (training.RowCount < k)
        {
            throw new ArgumentException($"The training split has {training.RowCount} rows, fewer than k = {k} clusters.", nameof(context));
        }

        var z = StandardizedPanels.Create(training);
        var scaler = z.Scaler;
        int n = z.Rows;
        int d = z.Columns;
        Fit? best = null;
        int[] labelBuffer = ArrayPool<int>.Shared.Rent(n);
        try
        {
            for (int restart = 0; restart < restarts; restart++)
            {
                await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
                context.Report(80.0 * restart / restarts, "clustering");
                double[] start = initial is null
                    ? LloydSolver.SeedPlusPlus(z.Values, n, d, k, new MersenneTwister(unchecked(context.Seed + restart)))
                        .SelectMany(row => LloydSolver.Row(z.Values, d, row)).ToArray()
                    : initial.SelectMany(c => StandardiseRow(c, scaler)).ToArray();
                var run = LloydSolver.Lloyd(z.Values, n, d, start, maxIterations, labelBuffer);
                if (best is null || run.Inertia < best.Inertia)
                {
                    // The training rows' labels are not kept: the model needs only the centres.
                    best = new Fit(Rows(run.Centers, d), [], run.Inertia, run.Iterations, run.Converged);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labelBuffer);
            z.Return();
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
        if (initial is not null)
        {
            usedParameters = usedParameters.With(InitialCentersParameter, parameters[InitialCentersParameter]);
        }
        return new TrainingResult(model.ToArtifact(), metrics, usedParameters);
    }

    /// <summary>k-means++ (Arthur and Vassilvitskii 2007): the first center uniformly, each next with probability ∝ D².</summary>
    internal static double[][] SeedPlusPlus(double[][] points, int k, Random rng)
    {
        int[] rows = LloydSolver.SeedPlusPlus(StandardizedPanels.FromRows(points), points.Length, points[0].Length, k, rng);
        return rows.Select(r => (double[])points[r].Clone()).ToArray();
    }

    /// <summary>
    /// Lloyd's algorithm from <paramref name="initialCenters"/>: assign each point to its nearest center, move each
    /// center to its points' mean, until no assignment changes. An emptied cluster takes the point farthest from its
    /// center, as scikit-learn does. <paramref name="wide"/> chooses the 512-bit or the 256-bit scoring kernel (by
    /// default the 512-bit one where it is accelerated).
    /// </summary>
    internal static Fit Lloyd(double[][] points, double[][] initialCenters, int maxIterations, bool? wide = null)
    {
        int d = points[0].Length;
        var (centers, labels, inertia, iterations, converged) =
            LloydSolver.Lloyd(StandardizedPanels.FromRows(points), points.Length, d, initialCenters.SelectMany(c => c).ToArray(), maxIterations, wide: wide);
        return new Fit(Rows(centers, d), labels, inertia, iterations, converged);
    }

    /// <summary>
    /// The mean silhouette (Rousseeuw 1987) with Euclidean distance, as scikit-learn's <c>silhouette_score</c>: a point
    /// alone in its cluster scores 0.
    /// </summary>
    internal static double Silhouette(double[][] points, int[] labels)
    {
        var sizes = new int[labels.Max() + 1];
        foreach (int label in labels)
        {
            sizes[label]++;
        }

        return ClusteringMetrics.SilhouetteOf(points, labels, sizes);
    }

    /// <summary>Parses the initial-centres text into rows of <paramref name="featureCount"/> finite values.</summary>
    private static double[][] ParseCenters(string text, int featureCount)
    {
        string[] rows = text.Split(';');
        var centers = new double[rows.Length][];
        for (int c = 0; c < rows.Length; c++)
        {
            string[] cells = rows[c].Split(',');
            if (cells.Length != featureCount)
            {
                throw ParameterError(
                    InitialCentersParameter,
                    $"'{InitialCentersParameter}' centre {c} has {cells.Length} values but the data has {featureCount} features.");
            }

            centers[c] = new double[featureCount];
            for (int j = 0; j < featureCount; j++)
            {
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                {
                    throw ParameterError(
                        InitialCentersParameter,
                        $"'{InitialCentersParameter}' centre {c}, value {j} must be a finite number, but is '{cells[j]}'.");
                }

                centers[c][j] = v;
            }
        }

        return centers;
    }

    /// <summary>An error naming a training parameter (the trainer's own argument is the parameter set).</summary>
    private static ArgumentException ParameterError(string name, string message) => new(message, name);

    private static double[] StandardiseRow(double[] row, FeatureScaler scaler)
    {
        var z = new double[row.Length];
        scaler.Transform(row, z);
        return z;
    }

    /// <summary>A row-major k × d array as k rows.</summary>
    private static double[][] Rows(double[] values, int d) => values.Chunk(d).ToArray();

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
