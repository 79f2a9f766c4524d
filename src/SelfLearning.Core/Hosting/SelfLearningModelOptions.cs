using System.ComponentModel.DataAnnotations;
using SelfLearning.Evaluation;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// How one model learns: which trainer, how many cases trigger training, the quality gate, the canary ramp and
/// the production watch. Named options: the name is the model name given to <c>AddModel</c>.
/// </summary>
public sealed class SelfLearningModelOptions
{
    /// <summary>Gets or sets the model type key of the <see cref="ITrainer"/> that trains candidates.</summary>
    /// <value>The default value is <c>calibration</c>.</value>
    [Required]
    public string TrainerType { get; set; } = HostingConstants.DefaultTrainerType;

    /// <summary>Gets or sets the trainer's hyperparameters.</summary>
    /// <value>The default value is <see cref="TrainingParameters.Empty"/> (the trainer's defaults).</value>
    [Required]
    public TrainingParameters Parameters { get; set; } = TrainingParameters.Empty;

    /// <summary>Gets or sets the seed of training and of the gate's bootstrap.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the validated cases needed before the first model is trained, and the fewest new cases any later trigger (the schedule) trains on.</summary>
    /// <value>The default value is 500.</value>
    [Range(10, int.MaxValue)]
    public int MinimumCases { get; set; } = 500;

    /// <summary>Gets or sets the cases validated since the last training that trigger the next one.</summary>
    /// <value>The default value is 500.</value>
    [Range(10, int.MaxValue)]
    public int NewCasesThreshold { get; set; } = 500;

    /// <summary>
    /// Gets or sets a schedule that retrains the model once it is due after the last training, given at least
    /// <see cref="MinimumCases"/> new cases (for example <c>TrainingSchedule.Daily(new TimeOnly(2, 0), zone)</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: only new cases trigger training.</value>
    public TrainingSchedule? Schedule { get; set; }

    /// <summary>Gets or sets the shortest time between the start of the last completed training and the next; no trigger fires sooner.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan MinimumInterval { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether drift of the champion's live scores or error stream triggers training
    /// even below <see cref="NewCasesThreshold"/> (still given <see cref="MinimumCases"/> new cases and after
    /// <see cref="MinimumInterval"/>).
    /// </summary>
    /// <remarks>
    /// On by default. The champion's rollback watch runs before any canary decision, so a champion that keeps
    /// degrading while a drift-triggered canary runs is still rolled back (and the canary ended).
    /// </remarks>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetrainOnDrift { get; set; } = true;

    /// <summary>Gets or sets how long without new validated cases before a cycle publishes <c>DataStale</c> (once, until data arrives again).</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan DataStaleAfter { get; set; } = HostingConstants.DefaultDataStaleAfter;

    /// <summary>Gets or sets which of the host's outputs the calibrator is trained on.</summary>
    /// <value>The default value is <see cref="CalibrationScoreSource.Confidence"/>.</value>
    public CalibrationScoreSource ScoreSource { get; set; } = CalibrationScoreSource.Confidence;

    /// <summary>
    /// Gets or sets a value indicating whether an outcome recorded with its reviewer (<c>IPredictionService.RecordOutcomeAsync</c>
    /// with an <c>OutcomeReview</c>) is also appended as a validated <c>FeedbackCase</c> to the host's writable case
    /// store (an <c>IFeedbackCaseWriter</c>, such as <c>InMemoryCaseSource</c> or <c>SqliteCaseSource</c> added with
    /// <c>AddCaseSource</c>), once per prediction id, so the next cycles collect and train on it: one feedback channel.
    /// </summary>
    /// <remarks>Start-up validation fails when this is on and no <c>IFeedbackCaseWriter</c> is registered.</remarks>
    /// <value>The default value is <see langword="false"/>: the host stores its reviewed cases itself.</value>
    public bool AppendOutcomesAsCases { get; set; }

    /// <summary>Gets the quality gate's rules.</summary>
    public QualityGateOptions Gate { get; } = new();

    /// <summary>Gets or sets the canary ramp: the challenger's share of traffic at each step, strictly increasing in (0, 0.5].</summary>
    /// <value>The default value is 5% → 25% → 50%.</value>
    [Required]
    public IList<double> RampShares { get; set; } = [0.05, 0.25, 0.5];

    /// <summary>Gets or sets the outcomes each arm needs at a ramp step before the next.</summary>
    /// <value>The default value is 200.</value>
    [Range(0, long.MaxValue)]
    public long MinimumSamplesPerArm { get; set; } = 200;

    /// <summary>Gets or sets the time at a ramp step before the next.</summary>
    /// <value>The default value is one day.</value>
    public TimeSpan MinimumStepDuration { get; set; } = HostingConstants.DefaultMinimumStepDuration;

    /// <summary>Gets or sets the longest a canary may run before it stops as inconclusive.</summary>
    /// <value>The default value is 28 days.</value>
    public TimeSpan MaximumExperimentDuration { get; set; } = HostingConstants.DefaultMaximumExperimentDuration;
}
