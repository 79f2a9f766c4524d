using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Internal;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Training;

/// <summary>
/// Logistic regression (two classes) and multinomial softmax regression (more), with L2 regularisation, on
/// features standardised with the training split's mean and population standard deviation. Minimises
/// Σ log-loss + (λ/2)·‖W‖² with the intercepts unpenalised — scikit-learn's objective with C = 1/λ — by Newton's
/// method with Cholesky solves (gradient and Hessian from one blocked, vectorised pass over the data,
/// <c>Kernels/BinaryLogisticObjective.cs</c> for two classes and <c>Kernels/SoftmaxObjective.cs</c> for more; from
/// 100,000 rows, started from the optimum on every 16th row, so
/// the passes over all rows are the last two or three Newton steps, and <c>iterations</c> counts those; above 256
/// parameters, d + 1 or K·(d + 1), L-BFGS with value and gradient from the same pass, up to 10 × <c>max_iterations</c>
/// iterations, same stopping rule). Parameters: <c>l2</c> (λ, default 1), <c>max_iterations</c> (default 100),
/// <c>tolerance</c> (gradient tolerance per row, default 1e-10). Metrics: validation log loss and accuracy,
/// iterations and convergence.
/// </summary>
public sealed class LogisticRegressionTrainer : ITunableTrainer
{
    /// <summary>The model-type key.</summary>
    public const string Key = "logistic-regression";

    /// <summary>The L2 strength parameter name (λ = 1/C).</summary>
    public const string L2Parameter = "l2";

    /// <summary>The iteration limit parameter name.</summary>
    public const string MaxIterationsParameter = "max_iterations";

    /// <summary>The gradient tolerance parameter name.</summary>
    public const string ToleranceParameter = "tolerance";

    /// <summary>
    /// Above this many parameters (d + 1 for two classes, K·(d + 1) for K) the dense Hessian and its Cholesky solve cost
    /// more than they save, and the fit uses L-BFGS (<see cref="LbfgsSolver"/>) on the same objective and stopping rule.
    /// </summary>
    internal const int NewtonParameterLimit = 256;

    /// <summary>L-BFGS may take this many times <c>max_iterations</c> iterations: each is one pass, with a rougher step than Newton's.</summary>
    internal const int LbfgsIterationFactor = 10;

    /// <summary>Fits on this many rows or more start from the optimum on every <see cref="WarmStartStep"/>-th row.</summary>
    internal const int WarmStartRows = 100_000;

    private const int WarmStartStep = 16;

    /// <summary>The subsample's gradient tolerance per row: its optimum is only a starting point.</summary>
    private const double WarmStartTolerance = 1e-6;

    private const double DefaultL2 = 1.0;
    private const double ProbabilityFloor = 1e-15;

    /// <inheritdoc />
    public string ModelType => Key;

    /// <inheritdoc />
    /// <value>Binary classification (use <see cref="SoftmaxRegressionTrainer"/> for three or more classes).</value>
    public TaskKind TaskKind => TaskKind.BinaryClassification;

    /// <summary>Gets the grid searched when tuning: λ over four decades, ranked by log loss.</summary>
    public HyperparameterSpace SearchSpace { get; } =
        new HyperparameterSpace(TrainingMetrics.LogLoss, MetricGoal.Minimize, folds: 3).With(L2Parameter, 0.01, 0.1, 1.0, 10.0);

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(context);
        TrainingGuard.DataKind(context, TrainingTableKind.Classification, Key);
        var parameters = context.Parameters;
        parameters.EnsureOnly(Key, L2Parameter, MaxIterationsParameter, ToleranceParameter);
        double l2 = Guard.Positive(parameters.GetDouble(L2Parameter, DefaultL2), L2Parameter);
        int maxIterations = Guard.Positive(parameters.GetInt32(MaxIterationsParameter, NewtonSolver.DefaultMaxIterations), MaxIterationsParameter);
        double tolerance = Guard.Positive(parameters.GetDouble(ToleranceParameter, NewtonSolver.DefaultGradientTolerance), ToleranceParameter);

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(0, "fitting");
        var fit = Fit(context.Data.Training, l2, maxIterations, tolerance);
        if (!fit.Converged)
        {
            TrainingLog.NotConverged(context.Logger, Key, fit.Iterations);
        }

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(90, "validating");
        var metrics = Evaluate(fit.Model, context.Data.Validation);
        metrics[TrainingMetrics.Iterations] = fit.Iterations;
        metrics[TrainingMetrics.Converged] = fit.Converged ? 1 : 0;
        var used = TrainingParameters.Empty.With(L2Parameter, l2).With(MaxIterationsParameter, maxIterations).With(ToleranceParameter, tolerance);
        return new TrainingResult(fit.Model.ToArtifact(), metrics, used);
    }

    /// <summary>Fits the model on a classification table.</summary>
    /// <param name="table">The training split.</param>
    /// <param name="l2">λ.</param>
    /// <param name="maxIterations">The Newton iteration limit on all rows.</param>
    /// <param name="tolerance">The gradient tolerance per row.</param>
    /// <param name="warmStart">Whether fits on <see cref="WarmStartRows"/> rows or more start from the optimum on a subsample.</param>
    internal static (LogisticRegressionModel Model, int Iterations, bool Converged) Fit(
        TrainingTable table, double l2, int maxIterations, double tolerance, bool warmStart = true)
    {
        string[] classes = AtMostTwoClasses(table.Labels, out byte[] labels)
            ?? table.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
        {
            throw new ArgumentException($"The training split holds only class '{classes[0]}'; at least two classes are needed.", nameof(table));
        }

        int d = table.FeatureCount;
        int n = table.RowCount;
        if (classes.Length == 2)
        {
            // One blocked, vectorised pass per Newton evaluation, straight from the row-major table (no copy).
            var scaler = StandardizedColumns.FitScaler(table.FeatureValues, n, d);
            var objective = new BinaryLogisticObjective(table, scaler, labels, l2);
            var start = Vector<double>.Build.Dense(d + 1);
            if (d + 1 > NewtonParameterLimit)
            {
                var wide = LbfgsSolver.Minimize(
                    objective.ValueAndGradient, objective.Value, start, LbfgsIterationFactor * maxIterations, tolerance, n);
                return (new LogisticRegressionModel(classes, scaler, [wide.Theta.SubVector(0, d).ToArray()], [wide.Theta[d]]), wide.Iterations, wide.Converged);
            }

            if (warmStart && n >= WarmStartRows)
            {
                // Newton's early steps need only a rough Hessian: take them on every WarmStartStep-th row (the
                // subsample's optimum is within sampling error of the full one), then finish on all rows, where the
                // quadratic convergence needs two or three passes instead of five or six. Same optimum, same stopping rule.
                var sample = new BinaryLogisticObjective(table, scaler, labels, l2 * ((double)(((n - 1) / WarmStartStep) + 1) / n), WarmStartStep);
                start = NewtonSolver.Minimize(sample.Evaluate, sample.Value, start, maxIterations, WarmStartTolerance, sample.RowCount).Theta;
            }

            var (theta, iterations, converged, _) = NewtonSolver.Minimize(
                objective.Evaluate, objective.Value, start, maxIterations, tolerance, n);
            var model = new LogisticRegressionModel(classes, scaler, [theta.SubVector(0, d).ToArray()], [theta[d]]);
            return (model, iterations, converged);
        }
        else
        {
            // One blocked pass per Newton evaluation, straight from the row-major table (no copy), as for two classes.
            var scaler = StandardizedColumns.FitScaler(table.FeatureValues, n, d);
            var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            int[] y = table.Labels.Select(l => index[l]).ToArray();
            var objective = new SoftmaxObjective(table, scaler, y, classes.Length, l2);
            var start = Vector<double>.Build.Dense(classes.Length * (d + 1));
            bool newton = classes.Length * (d + 1) <= NewtonParameterLimit;
            if (newton && warmStart && n >= WarmStartRows)
            {
                // As for two classes: Newton's early steps on every WarmStartStep-th row, then the full-data steps.
                var sample = new SoftmaxObjective(table, scaler, y, classes.Length, l2 * ((double)(((n - 1) / WarmStartStep) + 1) / n), WarmStartStep);
                start = NewtonSolver.Minimize(sample.Evaluate, sample.Value, start, maxIterations, WarmStartTolerance, sample.RowCount).Theta;
            }

            var (theta, iterations, converged, _) = newton
                ? NewtonSolver.Minimize(objective.Evaluate, objective.Value, start, maxIterations, tolerance, n)
                : LbfgsSolver.Minimize(objective.ValueAndGradient, objective.Value, start, LbfgsIterationFactor * maxIterations, tolerance, n);
            var coefficients = new double[classes.Length][];
            var intercepts = new double[classes.Length];
            for (int k = 0; k < classes.Length; k++)
            {
                coefficients[k] = theta.SubVector(k * (d + 1), d).ToArray();
                intercepts[k] = theta[(k * (d + 1)) + d];
            }

            // Softmax is unchanged by a common shift of the intercepts; report the zero-sum representative.
            double mean = intercepts.Average();
            for (int k = 0; k < intercepts.Length; k++)
            {
                intercepts[k] -= mean;
            }

            return (new LogisticRegressionModel(classes, scaler, coefficients, intercepts), iterations, converged);
        }
    }

    /// <summary>
    /// In one pass over <paramref name="labels"/>: their distinct values in ordinal order when there are at most two,
    /// and each row's index into them (<paramref name="indices"/>); <see langword="null"/> when there are more.
    /// </summary>
    private static string[]? AtMostTwoClasses(IReadOnlyList<string> labels, out byte[] indices)
    {
        int n = labels.Count;
        indices = new byte[n];
        if (n == 0)
        {
            return null;
        }

        string first = labels[0];
        string? second = null;
        for (int i = 0; i < n; i++)
        {
            string label = labels[i];
            if (ReferenceEquals(label, first) || string.Equals(label, first, StringComparison.Ordinal))
            {
                continue;
            }

            if (second is null)
            {
                second = label;
            }
            else if (!ReferenceEquals(label, second) && !string.Equals(label, second, StringComparison.Ordinal))
            {
                return null;
            }

            indices[i] = 1;
        }

        if (second is null)
        {
            return [first];
        }

        if (string.CompareOrdinal(first, second) < 0)
        {
            return [first, second];
        }

        for (int i = 0; i < n; i++)
        {
            indices[i] ^= 1;
        }

        return [second, first];
    }

    private static Dictionary<string, double> Evaluate(LogisticRegressionModel model, TrainingTable validation)
    {
        var probabilities = new double[model.Classes.Count];
        double logLoss = 0.0;
        int correct = 0;
        for (int i = 0; i < validation.RowCount; i++)
        {
            model.PredictProbabilities(validation.GetFeatures(i), probabilities);
            int truth = IndexOf(model.Classes, validation.Labels[i]);
            double p = truth >= 0 ? probabilities[truth] : 0.0;
            logLoss -= Math.Log(Math.Clamp(p, ProbabilityFloor, 1.0 - ProbabilityFloor));
            int predicted = 0;
            for (int k = 1; k < probabilities.Length; k++)
            {
                if (probabilities[k] > probabilities[predicted])
                {
                    predicted = k;
                }
            }

            correct += predicted == truth ? 1 : 0;
        }

        return new Dictionary<string, double>
        {
            [TrainingMetrics.LogLoss] = logLoss / validation.RowCount,
            [TrainingMetrics.Accuracy] = (double)correct / validation.RowCount,
        };
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (int k = 0; k < classes.Count; k++)
        {
            if (string.Equals(classes[k], label, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return -1;
    }
}
