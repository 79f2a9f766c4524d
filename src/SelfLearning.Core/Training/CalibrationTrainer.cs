using System.Text;
using SelfLearning.Calibration;
using SelfLearning.Evaluation;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Trains a confidence calibrator for a host model on calibration data (the host's score, a probability or a raw
/// margin, and whether its prediction was right). By default the method is chosen by
/// <see cref="CalibratorSelector"/>'s seeded k-fold cross-validation on the training split (the job's seed seeds
/// the folds); parameter <c>method</c> fixes it instead. The artifact is <see cref="CalibratorSerializer"/>'s JSON,
/// and its model type's loader turns it back into an <see cref="ICalibrationPredictor"/>.
/// </summary>
/// <remarks>
/// <para>Parameters: <c>method</c> (<c>auto</c>, <c>platt</c>, <c>isotonic</c>, <c>temperature</c>, <c>histogram</c>
/// or <c>beta</c>; default <c>auto</c>), <c>folds</c> (cross-validation folds for <c>auto</c>, at least 2; default 5)
/// and <c>bins</c> (histogram-binning bins, at least 1; default 10). The parameters used name the method chosen,
/// so a rerun with them fits the same calibrator without cross-validation.</para>
/// <para>Metrics on the validation split: log loss, Brier score and ECE (15 equal-width bins) of the calibrated
/// probabilities, the same three of the uncalibrated baseline under a <c>baseline_</c> prefix (the scores
/// themselves when every score is a probability, otherwise their logistic sigmoid), and for <c>auto</c> the
/// chosen method's mean cross-validated log loss.</para>
/// </remarks>
public sealed class CalibrationTrainer : ITrainer
{
    /// <summary>The model-type key.</summary>
    public const string Key = "calibration";

    /// <summary>The artifact format: <see cref="CalibratorSerializer"/>'s JSON, UTF-8 encoded.</summary>
    public const string ArtifactFormat = "selflearning.calibrator.v1+json";

    /// <summary>The parameter naming the method (<c>auto</c> for cross-validated selection).</summary>
    public const string MethodParameter = "method";

    /// <summary>The parameter holding the number of cross-validation folds.</summary>
    public const string FoldsParameter = "folds";

    /// <summary>The parameter holding the number of histogram-binning bins.</summary>
    public const string BinsParameter = "bins";

    /// <summary>The <c>method</c> value that selects the method by cross-validation.</summary>
    public const string AutomaticMethod = "auto";

    /// <summary>The prefix of the uncalibrated baseline's metrics.</summary>
    public const string BaselinePrefix = "baseline_";

    /// <summary>The metric name of the chosen method's mean cross-validated log loss (automatic selection only).</summary>
    public const string CrossValidatedLogLoss = "cv_log_loss";

    private static readonly (string Name, CalibrationMethod Method)[] Methods =
    [
        ("platt", CalibrationMethod.Platt),
        ("isotonic", CalibrationMethod.Isotonic),
        ("temperature", CalibrationMethod.Temperature),
        ("histogram", CalibrationMethod.HistogramBinning),
        ("beta", CalibrationMethod.Beta),
    ];

    /// <inheritdoc />
    public string ModelType => Key;

    /// <inheritdoc />
    /// <value>Score calibration.</value>
    public TaskKind TaskKind => TaskKind.ScoreCalibration;

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(context);
        TrainingGuard.DataKind(context, TrainingTableKind.Calibration, Key);
        var parameters = context.Parameters;
        parameters.EnsureOnly(Key, MethodParameter, FoldsParameter, BinsParameter);
        string methodName = parameters.GetString(MethodParameter, AutomaticMethod);
        CalibrationMethod? fixedMethod = string.Equals(methodName, AutomaticMethod, StringComparison.Ordinal) ? null : ParseMethod(methodName);
        int folds = Guard.InRange(parameters.GetInt32(FoldsParameter, CalibrationConstants.DefaultFolds), 2, int.MaxValue, FoldsParameter);
        int bins = Guard.Positive(parameters.GetInt32(BinsParameter, CalibrationConstants.DefaultHistogramBins), BinsParameter);

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        var training = context.Data.Training;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        ICalibrator calibrator;
        if (fixedMethod is { } method)
        {
            context.Report(0, "fitting");
            calibrator = CalibratorSelector.FitMethod(method, training.Scores.ToArray(), training.Outcomes.ToArray(), bins);
        }
        else
        {
            context.Report(0, "selecting");
            var selection = CalibratorSelector.Select(
                training.Scores, training.Outcomes, new CalibratorSelectorOptions { Folds = folds, Seed = context.Seed, HistogramBins = bins });
            calibrator = selection.Calibrator;
            metrics[CrossValidatedLogLoss] = selection.Scores.Single(s => s.Method == selection.Chosen).MeanLogLoss;
        }

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(80, "validating");
        var validation = context.Data.Validation;
        var calibrated = new double[validation.RowCount];
        calibrator.Calibrate(validation.Scores, calibrated);
        AddMetrics(metrics, string.Empty, calibrated, validation.Outcomes);
        AddMetrics(metrics, BaselinePrefix, Baseline(training.Scores, validation.Scores), validation.Outcomes);

        var used = TrainingParameters.Empty.With(MethodParameter, NameOf(calibrator.Method));
        if (calibrator.Method == CalibrationMethod.HistogramBinning)
        {
            used = used.With(BinsParameter, bins);
        }

        var artifact = new TrainingArtifact(ArtifactFormat, Encoding.UTF8.GetBytes(CalibratorSerializer.Serialize(calibrator)));
        return new TrainingResult(artifact, metrics, used);
    }

    /// <summary>
    /// The uncalibrated baseline: the scores as they are when every training and validation score is a probability,
    /// otherwise the logistic sigmoid of each (raw margins).
    /// </summary>
    internal static double[] Baseline(ReadOnlySpan<double> trainingScores, ReadOnlySpan<double> validationScores)
    {
        bool probabilities = AreProbabilities(trainingScores) && AreProbabilities(validationScores);
        var baseline = new double[validationScores.Length];
        for (int i = 0; i < baseline.Length; i++)
        {
            baseline[i] = probabilities ? validationScores[i] : LogisticRegressionModel.Sigmoid(validationScores[i]);
        }

        return baseline;
    }

    private static void AddMetrics(Dictionary<string, double> metrics, string prefix, ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> outcomes)
    {
        metrics[prefix + TrainingMetrics.LogLoss] = CalibrationMetrics.LogLoss(probabilities, outcomes);
        metrics[prefix + TrainingMetrics.BrierScore] = CalibrationMetrics.BrierScore(probabilities, outcomes);
        metrics[prefix + TrainingMetrics.ExpectedCalibrationError] = CalibrationMetrics.ExpectedCalibrationError(probabilities, outcomes);
    }

    private static bool AreProbabilities(ReadOnlySpan<double> scores)
    {
        foreach (double s in scores)
        {
            if (s is < 0.0 or > 1.0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the <c>method</c> parameter's value; the argument shares the parameter's name, which errors name.</summary>
    private static CalibrationMethod ParseMethod(string method)
    {
        foreach (var (known, value) in Methods)
        {
            if (string.Equals(known, method, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new ArgumentException(
            $"Training parameter '{MethodParameter}' is '{method}'; expected {AutomaticMethod}, {string.Join(", ", Methods.Select(m => m.Name))}.",
            nameof(method));
    }

    private static string NameOf(CalibrationMethod method) => Methods.First(m => m.Method == method).Name;
}
