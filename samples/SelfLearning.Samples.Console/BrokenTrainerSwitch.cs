using SelfLearning.Training;

namespace SelfLearning.Samples.Triage;

/// <summary>
/// DEMONSTRATION ONLY: the library's <see cref="CalibrationTrainer"/> with a switch that, while on, fits it to the
/// reviewers' verdicts turned upside down — the kind of bug (a flipped label join) the quality gate exists to
/// catch. The sample turns it on for <see cref="ClinicTimeline.BrokenTrainerWeek"/>; a real host registers
/// <see cref="CalibrationTrainer"/> itself.
/// </summary>
internal sealed class BrokenTrainerSwitch : ITrainer
{
    private readonly CalibrationTrainer _trainer = new();

    /// <summary>Gets or sets a value indicating whether the next training is deliberately broken.</summary>
    public bool Broken { get; set; }

    public string ModelType => _trainer.ModelType;

    /// <inheritdoc />
    public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

    public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Broken)
        {
            return _trainer.TrainAsync(context, cancellationToken);
        }

        // Platt scaling fits the flipped verdicts as a decreasing sigmoid: a well-formed artifact that is badly wrong.
        var flipped = new TrainingData(Flip(context.Data.Training), Flip(context.Data.Validation), context.Data.DatasetId);
        TrainingParameters parameters = context.Parameters.With(CalibrationTrainer.MethodParameter, "platt");
        return _trainer.TrainAsync(new TrainingContext(flipped, parameters, context.Seed, context.Progress, context.Logger), cancellationToken);
    }

    private static TrainingTable Flip(TrainingTable table)
    {
        bool[] outcomes = table.Outcomes.ToArray();
        for (int i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = !outcomes[i];
        }

        return TrainingTable.ForCalibration(table.Scores, outcomes);
    }
}
