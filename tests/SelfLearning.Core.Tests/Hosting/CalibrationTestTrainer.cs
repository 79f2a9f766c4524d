using System.Text;
using SelfLearning.Calibration;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// A real calibration trainer (cross-validated method choice, JSON artifact) with a switch that makes it train a
/// deliberately worse model — fitted on inverted outcomes — so a test can show the gate rejecting it.
/// </summary>
internal sealed class CalibrationTestTrainer : ITrainer
{
    public const string Type = "calibration";

    public bool Sabotage { get; set; }

    /// <summary>Gets or sets a message the trainer fails with, or <see langword="null"/> to train.</summary>
    public string? FailWith { get; set; }

    public int Runs { get; private set; }

    public string ModelType => Type;

    public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

    public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Runs++;
        if (FailWith is not null)
        {
            throw new InvalidOperationException(FailWith);
        }

        ReadOnlySpan<double> scores = context.Data.Training.Scores;
        bool[] outcomes = context.Data.Training.Outcomes.ToArray();
        if (Sabotage)
        {
            for (int i = 0; i < outcomes.Length; i++)
            {
                outcomes[i] = !outcomes[i];
            }
        }

        var selection = CalibratorSelector.Select(scores, outcomes, new CalibratorSelectorOptions { Seed = context.Seed });
        byte[] artifact = Encoding.UTF8.GetBytes(CalibratorSerializer.Serialize(selection.Calibrator));
        var metrics = new Dictionary<string, double> { [TrainingMetrics.BrierScore] = selection.Scores.First(s => s.Method == selection.Calibrator.Method).MeanBrier };
        return Task.FromResult(new TrainingResult(
            new TrainingArtifact("selflearning.calibrator.v1+json", artifact),
            metrics,
            context.Parameters.With("method", selection.Calibrator.Method.ToString())));
    }
}
