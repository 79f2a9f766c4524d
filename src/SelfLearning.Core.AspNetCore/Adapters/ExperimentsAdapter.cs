using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Experiments;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Adapters;

/// <summary>Every call the endpoints make into the core's experiments.</summary>
internal sealed class ExperimentsAdapter(
    IExperimentStore store,
    RegistryAdapter registry,
    IOptions<ExperimentDecisionOptions> decisionOptions,
    TimeProvider time)
{
    // The metrics the loop's own canaries are decided on (the core's HostingConstants.BrierMetric and AccuracyMetric, which
    // are internal): a manual A/B is analysed exactly like one the loop started.
    private const string BrierMetric = "brier";
    private const string AccuracyMetric = "accuracy";

    public async Task<IReadOnlyList<ExperimentSummaryDto>> ListAsync(string? model, CancellationToken cancellationToken)
    {
        var experiments = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
        return [.. experiments
            .Where(e => model is null || string.Equals(e.Definition.ModelName, model, StringComparison.Ordinal))
            .OrderByDescending(e => e.StartedAt)
            .Select(ToDto)];
    }

    public async Task<ExperimentDetailDto> GetAsync(string key, CancellationToken cancellationToken)
    {
        Experiment experiment = await store.FindExperimentAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No experiment has key '{key}'.");
        ExperimentTallies tallies = await store.GetTalliesAsync(key, cancellationToken).ConfigureAwait(false);
        ExperimentAnalysis analysis = ExperimentAnalyzer.Analyze(experiment, tallies, decisionOptions.Value);
        var decisions = await store.GetDecisionsAsync(key, cancellationToken).ConfigureAwait(false);
        var metrics = new List<MetricStateDto> { ToDto(analysis.Primary, primary: true) };
        metrics.AddRange(analysis.Guardrails.Select(g => ToDto(g, primary: false)));
        SampleRatioCheck srm = analysis.SampleRatio;
        return new ExperimentDetailDto(
            ToDto(experiment),
            tallies.ChampionExposures,
            tallies.ChallengerExposures,
            metrics,
            new SampleRatioDto(srm.ChampionUnits, srm.ChallengerUnits, Finite(srm.ChiSquare), Finite(srm.PValue), srm.IsMismatch),
            [.. decisions.Select(d => new DecisionDto(d.Action.ToString(), d.DecidedAt, d.RampStep, d.ChallengerShare, d.Reasons))]);
    }

    public async Task<ExperimentSummaryDto> StartAsync(StartExperimentRequest request, string actor, CancellationToken cancellationToken)
    {
        string model = string.IsNullOrWhiteSpace(request.Model)
            ? throw new InvalidFieldException("model", "'model' is required.")
            : request.Model;
        int challenger = request.ChallengerVersion is int c && c > 0
            ? c
            : throw new InvalidFieldException("challengerVersion", $"'challengerVersion' must be a positive version number, but is {Text(request.ChallengerVersion)}.");
        double split = request.Split ?? 0.05;
        if (!(split > 0.0 && split <= 0.5))
        {
            throw new InvalidFieldException("split", $"'split' is the challenger's share of traffic and must lie in (0, 0.5], but is {split.ToString("R", CultureInfo.InvariantCulture)}.");
        }

        double hours = request.MaximumDurationHours ?? 24 * 28;
        if (!(hours > 0.0 && hours <= 24 * 365))
        {
            throw new InvalidFieldException("maximumDurationHours", $"'maximumDurationHours' must lie in (0, 8760], but is {hours.ToString("R", CultureInfo.InvariantCulture)}.");
        }

        int champion = request.ChampionVersion
            ?? (await registry.GetChampionAsync(model, cancellationToken).ConfigureAwait(false))?.Version
            ?? throw new InvalidOperationException($"Model '{model}' has no champion to test version {challenger} against.");
        if (champion == challenger)
        {
            throw new InvalidFieldException("challengerVersion", $"'challengerVersion' must differ from the champion version {champion}.");
        }

        ModelVersion championVersion = await registry.GetVersionAsync(model, champion, cancellationToken).ConfigureAwait(false);
        if (championVersion.Stage != ModelStage.Champion)
        {
            throw new InvalidOperationException($"Version {champion} of model '{model}' is {championVersion.Stage}, not the champion; an A/B test runs against the serving champion.");
        }

        foreach (Experiment running in await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (running.Status == ExperimentStatus.Running && string.Equals(running.Definition.ModelName, model, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Model '{model}' already runs experiment '{running.Key}'; stop it first.");
            }
        }

        string key = string.Create(CultureInfo.InvariantCulture, $"{model}.v{challenger}");
        if (await store.FindExperimentAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"Experiment '{key}' has already run; version {challenger} of model '{model}' is not tested twice.");
        }

        await registry.SetStageChallengerAsync(
            model, challenger, actor, string.Create(CultureInfo.InvariantCulture, $"A/B test '{key}' started by an operator at {split:P0}."), cancellationToken).ConfigureAwait(false);
        var definition = new ExperimentDefinition
        {
            Key = key,
            ModelName = model,
            ChampionVersion = champion,
            ChallengerVersion = challenger,
            Ramp = new CanaryRamp([split], CanaryRamp.Default.MinimumSamplesPerArm, CanaryRamp.Default.MinimumStepDuration),
            MaximumDuration = TimeSpan.FromHours(hours),
            PrimaryMetric = ExperimentMetric.Continuous(BrierMetric, higherIsBetter: false),
            Guardrails = [ExperimentMetric.SuccessRate(AccuracyMetric)],
        };
        Experiment experiment = Experiment.Start(definition, time.GetUtcNow());
        await store.SaveExperimentAsync(experiment, cancellationToken).ConfigureAwait(false);
        return ToDto(experiment);
    }

    public async Task<ExperimentSummaryDto> StopAsync(string key, string actor, CancellationToken cancellationToken)
    {
        Experiment experiment = await store.FindExperimentAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No experiment has key '{key}'.");
        Experiment stopped = experiment.Conclude(ExperimentStatus.Inconclusive, time.GetUtcNow());
        await store.SaveExperimentAsync(stopped, cancellationToken).ConfigureAwait(false);
        // As when the loop ends a canary without a winner: the challenger leaves traffic and is archived.
        await registry.SetStageAsync(
            stopped.Definition.ModelName, stopped.Definition.ChallengerVersion, reject: false, actor, new ActionRequest($"A/B test '{key}' stopped by an operator.", null), cancellationToken).ConfigureAwait(false);

        return ToDto(stopped);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "missing";

    private static ExperimentSummaryDto ToDto(Experiment e) => new(
        e.Key,
        e.Definition.ModelName,
        e.Definition.ChampionVersion,
        e.Definition.ChallengerVersion,
        e.Status.ToString(),
        e.ChallengerShare,
        e.RampStep,
        e.Definition.Ramp.Shares,
        e.StartedAt,
        e.EndedAt,
        e.Definition.MaximumDuration);

    private static MetricStateDto ToDto(MetricAnalysis m, bool primary) => new(
        m.Metric.Name,
        primary,
        m.Champion.Count,
        Finite(m.Champion.Count > 0 ? m.Champion.Mean : double.NaN),
        m.Challenger.Count,
        Finite(m.Challenger.Count > 0 ? m.Challenger.Mean : double.NaN),
        Finite(m.Champion.Count > 0 && m.Challenger.Count > 0 ? m.Difference : double.NaN),
        Finite(m.FixedHorizonPValue),
        Finite(m.Sequential.PValue),
        Finite(m.Sequential.Lower),
        Finite(m.Sequential.Upper),
        m.IsImprovement,
        m.IsRegression);
}
