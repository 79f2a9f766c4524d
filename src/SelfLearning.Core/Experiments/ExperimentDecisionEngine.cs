using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The default decision engine: reads the experiment and its tallies from the store, continues the
/// sequential tests from the last recorded decision, applies <see cref="ExperimentRules"/>, carries
/// the decision out and records it.
/// </summary>
internal sealed class ExperimentDecisionEngine : IExperimentDecisionEngine
{
    private readonly IExperimentStore _store;
    private readonly IChampionActivator _activator;
    private readonly ExperimentDecisionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ExperimentDecisionEngine(
        IExperimentStore store,
        IChampionActivator activator,
        IOptions<ExperimentDecisionOptions> options,
        TimeProvider timeProvider,
        ILogger<ExperimentDecisionEngine> logger)
    {
        _store = Guard.NotNull(store);
        _activator = Guard.NotNull(activator);
        _options = Guard.NotNull(options).Value;
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        _timeProvider = Guard.NotNull(timeProvider);
        _logger = Guard.NotNull(logger);
    }

    public async ValueTask<ExperimentDecision> EvaluateAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(experimentKey);
        Experiment experiment = await _store.FindExperimentAsync(experimentKey, cancellationToken).ConfigureAwait(false)
            ?? throw OutcomeRules.UnknownExperiment(experimentKey);
        if (experiment.Status != ExperimentStatus.Running)
        {
            throw new InvalidOperationException($"Experiment '{experimentKey}' has ended ({experiment.Status}).");
        }

        ExperimentTallies tallies = await _store.GetTalliesAsync(experimentKey, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ExperimentDecision> history = await _store.GetDecisionsAsync(experimentKey, cancellationToken).ConfigureAwait(false);
        ExperimentAnalysis analysis = ExperimentAnalyzer.Analyze(experiment, tallies, _options, history.Count > 0 ? history[^1].Analysis : null);

        // Outcomes counted at the step's start: those of the decision that ramped up to it.
        ExperimentDecision? rampedUp = history.LastOrDefault(d => d.Action == DecisionAction.RampUp);
        long stepBaseline = rampedUp is null ? 0 : Math.Min(rampedUp.Analysis.Primary.Champion.Count, rampedUp.Analysis.Primary.Challenger.Count);

        DateTimeOffset now = _timeProvider.GetUtcNow();
        (DecisionAction action, IReadOnlyList<string> reasons) = ExperimentRules.Decide(experiment, analysis, stepBaseline, now, _options);
        await ApplyAsync(experiment, action, reasons, now, cancellationToken).ConfigureAwait(false);

        var decision = new ExperimentDecision(experimentKey, action, now, experiment.RampStep, experiment.ChallengerShare, reasons, analysis);
        await _store.RecordDecisionAsync(decision, cancellationToken).ConfigureAwait(false);
        ExperimentsLog.Decided(_logger, experimentKey, experiment.ChallengerShare, action, reasons);
        return decision;
    }

    private async ValueTask ApplyAsync(Experiment experiment, DecisionAction action, IReadOnlyList<string> reasons, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ExperimentDefinition definition = experiment.Definition;
        switch (action)
        {
            case DecisionAction.RampUp:
                await _store.SaveExperimentAsync(experiment.RampUp(now), cancellationToken).ConfigureAwait(false);
                break;
            case DecisionAction.Promote:
                try
                {
                    var promotion = new ChampionPromotion(experiment.Key, definition.ModelName, definition.ChampionVersion, definition.ChallengerVersion, reasons);
                    await _activator.ActivateAsync(promotion, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ExperimentsLog.PromotionFailed(_logger, ex, experiment.Key, definition.ModelName, definition.ChallengerVersion);
                    throw;
                }

                await _store.SaveExperimentAsync(experiment.Conclude(ExperimentStatus.Promoted, now), cancellationToken).ConfigureAwait(false);
                ExperimentsLog.Promoted(_logger, experiment.Key, definition.ModelName, definition.ChallengerVersion);
                break;
            case DecisionAction.RollBack:
                await _store.SaveExperimentAsync(experiment.Conclude(ExperimentStatus.RolledBack, now), cancellationToken).ConfigureAwait(false);
                ExperimentsLog.RolledBack(_logger, experiment.Key, definition.ChallengerVersion, reasons);
                break;
            case DecisionAction.StopInconclusive:
                await _store.SaveExperimentAsync(experiment.Conclude(ExperimentStatus.Inconclusive, now), cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }
}
