using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Builds a job's <see cref="TrainingData"/> from a frozen <see cref="DatasetSnapshot"/>: its
/// <see cref="DatasetSplit.Train"/> cases become the training split and its <see cref="DatasetSplit.Validation"/>
/// cases the validation split, in the snapshot's (case id) order; <see cref="DatasetSplit.Test"/> cases are left out,
/// held back for the candidate-versus-champion evaluation. The snapshot's version becomes
/// <see cref="TrainingData.DatasetId"/>. The splits come from a hash of each case id, so a case never moves between
/// them as the dataset grows and none leaks from training into evaluation. The feature tables (classification,
/// regression, clustering) carry each case's anonymised <see cref="AnonymizedCase.Attributes"/> by reference
/// (<see cref="TrainingTable.GetAttributes"/>) when any case of the snapshot has attributes.
/// </summary>
internal static class SnapshotTrainingData
{
    /// <summary>The public methods' parameter, which every error about a case names (static readonly: helpers throw it too).</summary>
    private static readonly string SnapshotParameter = "snapshot";

    /// <summary>
    /// Calibration data: per case, the host's score and whether its prediction was right
    /// (<see cref="AnonymizedCase.PredictedLabel"/> equals the reviewed <see cref="AnonymizedCase.Label"/>).
    /// </summary>
    /// <param name="snapshot">The dataset.</param>
    /// <param name="score">Which of the host's outputs to calibrate.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentException">
    /// A split is empty, or <paramref name="score"/> is <see cref="CalibrationScoreSource.RawScore"/> and a case has no raw
    /// score (the message names the case).
    /// </exception>
    public static TrainingData ForCalibration(DatasetSnapshot snapshot, CalibrationScoreSource score = CalibrationScoreSource.Confidence)
    {
        Guard.NotNull(snapshot);
        if (!Enum.IsDefined(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, $"'{nameof(score)}' is not a known score source.");
        }

        return Build(snapshot, cases => CalibrationTable(cases, score));
    }

    /// <summary>Classification data: per case, <see cref="CaseInput.Features"/> and the reviewed <see cref="AnonymizedCase.Label"/>.</summary>
    /// <param name="snapshot">The dataset.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentException">A split is empty, or a case has no features or another width than the first case (the message names it).</exception>
    public static TrainingData ForClassification(DatasetSnapshot snapshot) =>
        Build(Guard.NotNull(snapshot), cases => WithAttributes(snapshot, cases, TrainingTable.ForClassification(Features(cases, Width(snapshot)), cases.Select(c => c.Label).ToArray())));

    /// <summary>Regression data: per case, <see cref="CaseInput.Features"/> and the reviewed label read as an invariant-culture number.</summary>
    /// <param name="snapshot">The dataset.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentException">A split is empty, a case's features are missing or of another width, or its label is not a finite number.</exception>
    public static TrainingData ForRegression(DatasetSnapshot snapshot) =>
        Build(Guard.NotNull(snapshot), cases => WithAttributes(snapshot, cases, TrainingTable.ForRegression(Features(cases, Width(snapshot)), cases.Select(Target).ToArray())));

    /// <summary>Clustering data: per case, <see cref="CaseInput.Features"/>.</summary>
    /// <param name="snapshot">The dataset.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentException">A split is empty, or a case has no features or another width than the first case.</exception>
    public static TrainingData ForClustering(DatasetSnapshot snapshot) =>
        Build(Guard.NotNull(snapshot), cases => WithAttributes(snapshot, cases, TrainingTable.ForClustering(Features(cases, Width(snapshot)))));

    private static TrainingData Build(DatasetSnapshot snapshot, Func<IReadOnlyList<AnonymizedCase>, TrainingTable> table)
    {
        var training = Split(snapshot, DatasetSplit.Train);
        var validation = Split(snapshot, DatasetSplit.Validation);
        return new TrainingData(table(training), table(validation), snapshot.Version);
    }

    private static List<AnonymizedCase> Split(DatasetSnapshot snapshot, DatasetSplit split)
    {
        var cases = snapshot.InSplit(split).ToList();
        if (cases.Count == 0)
        {
            throw new ArgumentException(
                $"Dataset '{snapshot.Version}' has no {split} cases (of {snapshot.Cases.Length}); collect more cases before training.", nameof(snapshot));
        }

        return cases;
    }

    /// <summary>The table with its cases' attributes (the cases' own maps, not copied) when any case of the snapshot has some.</summary>
    private static TrainingTable WithAttributes(DatasetSnapshot snapshot, IReadOnlyList<AnonymizedCase> cases, TrainingTable table)
    {
        if (!snapshot.Cases.Any(c => !c.Attributes.IsEmpty))
        {
            return table;
        }

        var attributes = new IReadOnlyDictionary<string, string>[cases.Count];
        for (int i = 0; i < attributes.Length; i++)
        {
            attributes[i] = cases[i].Attributes;
        }

        return table.WithAttributes(attributes);
    }

    private static int Width(DatasetSnapshot snapshot)
    {
        var first = snapshot.Cases.FirstOrDefault(c => c.Split is DatasetSplit.Train or DatasetSplit.Validation);
        return first is null || first.Input.Features.IsEmpty
            ? throw new ArgumentException($"Case '{first?.Id}' has no features to train on.", nameof(snapshot))
            : first.Input.Features.Length;
    }

    private static double[,] Features(IReadOnlyList<AnonymizedCase> cases, int width)
    {
        var matrix = new double[cases.Count, width];
        for (int i = 0; i < cases.Count; i++)
        {
            var features = cases[i].Input.Features;
            if (features.Length != width)
            {
                throw new ArgumentException(
                    $"Case '{cases[i].Id}' has {features.Length} features but the dataset's first case has {width}.", SnapshotParameter);
            }

            for (int j = 0; j < width; j++)
            {
                matrix[i, j] = features[j];
            }
        }

        return matrix;
    }

    private static double Target(AnonymizedCase c) =>
        double.TryParse(c.Label, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"Case '{c.Id}' has label '{c.Label}', which is not a finite number to regress on.", SnapshotParameter);

    private static TrainingTable CalibrationTable(IReadOnlyList<AnonymizedCase> cases, CalibrationScoreSource score)
    {
        var scores = new double[cases.Count];
        var outcomes = new bool[cases.Count];
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            scores[i] = score == CalibrationScoreSource.Confidence
                ? c.PredictedConfidence
                : c.Input.RawScore ?? throw new ArgumentException(
                    $"Case '{c.Id}' has no raw score to calibrate; use {nameof(CalibrationScoreSource)}.{nameof(CalibrationScoreSource.Confidence)} or record the host's margin.",
                    SnapshotParameter);
            outcomes[i] = string.Equals(c.PredictedLabel, c.Label, StringComparison.Ordinal);
        }

        return TrainingTable.ForCalibration(scores, outcomes);
    }

    /// <summary>The training data of a model type's task.</summary>
    internal static TrainingData For(TaskKind task, DatasetSnapshot snapshot, CalibrationScoreSource score) => task switch
    {
        TaskKind.ScoreCalibration => ForCalibration(snapshot, score),
        TaskKind.BinaryClassification or TaskKind.MulticlassClassification => ForClassification(snapshot),
        TaskKind.Regression => ForRegression(snapshot),
        TaskKind.Clustering => ForClustering(snapshot),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, $"Task {task} has no training data."),
    };

    /// <summary>The snapshot's test split in the task's form, with the training split's feature width.</summary>
    internal static TrainingTable Holdout(TaskKind task, DatasetSnapshot snapshot, CalibrationScoreSource score, int width)
    {
        var cases = Split(snapshot, DatasetSplit.Test);
        return task switch
        {
            TaskKind.ScoreCalibration => CalibrationTable(cases, score),
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification =>
                WithAttributes(snapshot, cases, TrainingTable.ForClassification(Features(cases, width), cases.Select(c => c.Label).ToArray())),
            TaskKind.Regression => WithAttributes(snapshot, cases, TrainingTable.ForRegression(Features(cases, width), cases.Select(Target).ToArray())),
            _ => WithAttributes(snapshot, cases, TrainingTable.ForClustering(Features(cases, width))),
        };
    }
}
