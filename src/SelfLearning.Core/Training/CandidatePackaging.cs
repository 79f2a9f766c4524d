using SelfLearning.Calibration;
using SelfLearning.Evaluation;
using SelfLearning.Serving;

namespace SelfLearning.Training;

/// <summary>
/// Turns a trained artifact into the version the loop registers, fitting on the validation split (never on the
/// held-out test split the gate judges on) what the model serves with: a classifier's calibrator, chosen by seeded
/// cross-validation (binary: of the second class's probability; multiclass: top-label), a regressor's split-conformal
/// interval radius, a clustering's reference shares.
/// </summary>
internal static class CandidatePackaging
{
    public static (PackagedArtifact Package, ServedModel Candidate) Package(ModelType type, TrainingArtifact trained, TrainingData data, QualityGateOptions gate, int seed)
    {
        IPredictor predictor = type.Load(trained);
        TrainingTable validation = data.Validation;
        PackagedArtifact package = type.TaskKind switch
        {
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification =>
                new(type.Key, type.TaskKind, trained, Calibrator: ClassCalibrator((IClassificationPredictor)predictor, validation, seed)),
            TaskKind.Regression => Conformal(type, trained, (IRegressionPredictor)predictor, validation, gate.IntervalCoverage),
            TaskKind.Clustering => new(type.Key, type.TaskKind, trained, ReferenceShares: Shares((IClusteringPredictor)predictor, validation)),
            _ => new(type.Key, type.TaskKind, trained),
        };
        return (package, ServedModel.Load(0, type, package));
    }

    /// <summary>
    /// The calibrator of a classifier's probabilities on the validation split; <see langword="null"/> (probabilities served
    /// as they are) when the validation outcomes hold one value only, since no calibrator can be fitted then.
    /// </summary>
    private static ICalibrator? ClassCalibrator(IClassificationPredictor classifier, TrainingTable validation, int seed)
    {
        int n = validation.RowCount;
        var scores = new double[n];
        var outcomes = new bool[n];
        var probabilities = new double[classifier.Classes.Count];
        bool binary = classifier.Classes.Count == 2;
        for (int i = 0; i < n; i++)
        {
            classifier.PredictProbabilities(validation.GetFeatures(i), validation.GetAttributes(i), probabilities);
            int top = 0;
            for (int c = 1; c < probabilities.Length; c++)
            {
                top = probabilities[c] > probabilities[top] ? c : top;
            }

            int judged = binary ? 1 : top;
            scores[i] = probabilities[judged];
            outcomes[i] = string.Equals(classifier.Classes[judged], validation.Labels[i], StringComparison.Ordinal);
        }

        bool any = outcomes.Contains(true), all = !outcomes.Contains(false);
        return any && !all
            ? CalibratorSelector.Select(scores, outcomes, new CalibratorSelectorOptions { Seed = seed }).Calibrator
            : null;
    }

    /// <summary>
    /// Split conformal: the ⌈(n + 1)·coverage⌉-th smallest absolute validation residual is the half-width that covers a new
    /// case with probability at least the coverage (capped at the largest residual when n is too small for it).
    /// </summary>
    private static PackagedArtifact Conformal(ModelType type, TrainingArtifact trained, IRegressionPredictor regressor, TrainingTable validation, double coverage)
    {
        int n = validation.RowCount;
        var residuals = new double[n];
        for (int i = 0; i < n; i++)
        {
            residuals[i] = Math.Abs(validation.Targets[i] - regressor.Predict(validation.GetFeatures(i), validation.GetAttributes(i)));
        }

        Array.Sort(residuals);
        int rank = Math.Min(n, (int)Math.Ceiling((n + 1) * coverage));
        return new PackagedArtifact(type.Key, type.TaskKind, trained, IntervalRadius: residuals[rank - 1], IntervalCoverage: coverage);
    }

    private static double[] Shares(IClusteringPredictor clusterer, TrainingTable validation)
    {
        var shares = new double[clusterer.ClusterCount];
        for (int i = 0; i < validation.RowCount; i++)
        {
            shares[clusterer.Assign(validation.GetFeatures(i), validation.GetAttributes(i))]++;
        }

        for (int c = 0; c < shares.Length; c++)
        {
            shares[c] /= validation.RowCount;
        }

        return shares;
    }
}
