using SelfLearning.Internal;
using SelfLearning.Training.Kernels;

namespace SelfLearning.Training;

/// <summary>
/// Ridge regression for amounts such as spending: minimises ‖y − b − Zw‖² + α‖w‖² on features standardised with
/// the training split's statistics, the intercept unpenalised — scikit-learn's <c>Ridge(alpha)</c> on
/// <c>StandardScaler</c> output. Solved exactly in one blocked, vectorised pass accumulating ZᵀZ and Zᵀ(y − ȳ),
/// then (ZᵀZ + αI)w = Zᵀ(y − ȳ) by Cholesky (MathNet.Numerics), b = ȳ. Parameter: <c>alpha</c> (default 1). Metrics: validation RMSE, MAE and R².
/// </summary>
public sealed class RidgeRegressionTrainer : ITunableTrainer
{
    /// <summary>The model-type key.</summary>
    public const string Key = "ridge-regression";

    /// <summary>The regularisation strength parameter name.</summary>
    public const string AlphaParameter = "alpha";

    private const double DefaultAlpha = 1.0;

    /// <inheritdoc />
    public string ModelType => Key;

    /// <inheritdoc />
    /// <value>Regression.</value>
    public TaskKind TaskKind => TaskKind.Regression;

    /// <summary>Gets the grid searched when tuning: α over five decades, ranked by RMSE.</summary>
    public HyperparameterSpace SearchSpace { get; } =
        new HyperparameterSpace(TrainingMetrics.RootMeanSquaredError, MetricGoal.Minimize, folds: 3).With(AlphaParameter, 0.01, 0.1, 1.0, 10.0, 100.0);

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(context);
        TrainingGuard.DataKind(context, TrainingTableKind.Regression, Key);
        context.Parameters.EnsureOnly(Key, AlphaParameter);
        double alpha = Guard.Positive(context.Parameters.GetDouble(AlphaParameter, DefaultAlpha), AlphaParameter);
        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(0, "fitting");
        var model = Fit(context.Data.Training, alpha);
        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(90, "validating");
        return new TrainingResult(model.ToArtifact(), Evaluate(model, context.Data.Validation), TrainingParameters.Empty.With(AlphaParameter, alpha));
    }

    internal static RidgeRegressionModel Fit(TrainingTable table, double alpha)
    {
        var (scaler, coefficients, intercept) = RidgeSolver.Solve(table, alpha);

        // The standardised features are centred, so the unpenalised intercept is the target mean.
        return new RidgeRegressionModel(scaler, coefficients, intercept);
    }

    private static Dictionary<string, double> Evaluate(RidgeRegressionModel model, TrainingTable validation)
    {
        var targets = validation.Targets;
        double mean = 0.0;
        foreach (double t in targets)
        {
            mean += t;
        }

        mean /= targets.Length;
        double squared = 0.0, absolute = 0.0, total = 0.0;
        for (int i = 0; i < validation.RowCount; i++)
        {
            double error = model.Predict(validation.GetFeatures(i)) - targets[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (targets[i] - mean) * (targets[i] - mean);
        }

        var metrics = new Dictionary<string, double>
        {
            [TrainingMetrics.RootMeanSquaredError] = Math.Sqrt(squared / validation.RowCount),
            [TrainingMetrics.MeanAbsoluteError] = absolute / validation.RowCount,
        };
        if (total > 0.0)
        {
            // R² is undefined when the validation targets are all equal; it is then left out rather than reported as NaN.
            metrics[TrainingMetrics.RSquared] = 1.0 - (squared / total);
        }

        return metrics;
    }
}
