using System.Text.Json;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Experiments;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Adapters;

/// <summary>Every call the endpoints and the dashboard make into the core's model registry, mapped to the API's shapes.</summary>
internal sealed class RegistryAdapter(IModelRegistry registry, IExperimentStore experiments)
{
    public async Task<IReadOnlyList<ModelSummaryDto>> ListAsync(CancellationToken cancellationToken)
    {
        var names = await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        var canaries = await CanariesAsync(cancellationToken).ConfigureAwait(false);
        var models = new List<ModelSummaryDto>(names.Count);
        foreach (string name in names.Order(StringComparer.Ordinal))
        {
            // The count and the champion only: one row and one version, however many versions the model has.
            ModelVersionsPage model = await registry.GetVersionsPageAsync(name, maxCount: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            models.Add(new ModelSummaryDto(model.Name, model.Revision, model.Champion?.Version, model.VersionCount, canaries.GetValueOrDefault(name)));
        }

        return models;
    }

    public async Task<ModelDetailDto> GetAsync(string name, CancellationToken cancellationToken)
    {
        RegisteredModel model = await registry.GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        var canaries = await CanariesAsync(cancellationToken).ConfigureAwait(false);
        var stages = new SortedDictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var group in model.Versions.GroupBy(v => v.Stage))
        {
            stages[group.Key.ToString()] = [.. group.Select(v => v.Version).Order()];
        }

        return new ModelDetailDto(
            model.Name,
            model.Revision,
            model.Champion is { } champion ? ToDto(champion) : null,
            canaries.GetValueOrDefault(model.Name),
            stages);
    }

    /// <summary>
    /// One page of a model's versions, oldest first within the page: the <paramref name="take"/> versions up to
    /// <paramref name="newest"/> (the latest when <see langword="null"/>), read at one revision with the version count and
    /// the champion, so the cost does not grow with the number of versions the model ever had.
    /// </summary>
    public async Task<VersionsPage> VersionsAsync(string name, int? newest, int take, CancellationToken cancellationToken)
    {
        ModelVersionsPage page = await registry.GetVersionsPageAsync(name, newest, take, cancellationToken).ConfigureAwait(false);
        var canaries = await CanariesAsync(cancellationToken).ConfigureAwait(false);
        return new VersionsPage(
            [.. page.Versions.Reverse().Select(ToDto)],
            page.VersionCount,
            page.NextNewestVersion,
            page.Champion is { } champion ? ToDto(champion) : null,
            canaries.GetValueOrDefault(page.Name));
    }

    /// <summary>
    /// One page of a model's history, oldest first within the page: the <paramref name="take"/> transitions up to
    /// <paramref name="newest"/> (the latest when <see langword="null"/>); an unknown model is a <see cref="KeyNotFoundException"/> (404).
    /// </summary>
    public async Task<IReadOnlyList<TransitionDto>> HistoryAsync(string name, long? newest, int take, CancellationToken cancellationToken)
    {
        var page = await registry.GetHistoryPageAsync(name, newest, take, cancellationToken).ConfigureAwait(false);
        return [.. page.Reverse().Select(t => new TransitionDto(
            t.Sequence, t.Revision, t.Version, t.From?.ToString(), t.To.ToString(), t.Operation.ToString(), t.At, t.Actor, t.Reason))];
    }

    public async Task<ComparisonDto> CompareAsync(string name, int a, int b, CancellationToken cancellationToken)
    {
        ModelVersion first = await registry.GetAsync(name, a, cancellationToken).ConfigureAwait(false);
        ModelVersion second = await registry.GetAsync(name, b, cancellationToken).ConfigureAwait(false);
        MetricComparison comparison = MetricComparison.Create(first, second);
        return new ComparisonDto(name, a, b, [.. comparison.Metrics.Select(m => new MetricRowDto(
            m.Metric, m.Baseline, m.Candidate, m.Difference))]);
    }

    public async Task<ActionResultDto> PromoteAsync(string name, int version, string actor, ActionRequest? request, CancellationToken cancellationToken)
    {
        ModelVersion promoted = await registry.ActivateAsync(name, version, Change(actor, request, "Promoted by an operator."), cancellationToken).ConfigureAwait(false);
        return new ActionResultDto(name, promoted.Version, promoted.Stage.ToString(), promoted.Version, actor);
    }

    public async Task<ActionResultDto> RollBackAsync(string name, string actor, ActionRequest? request, CancellationToken cancellationToken)
    {
        ModelVersion restored = await registry.RollBackAsync(name, Change(actor, request, "Rolled back by an operator."), cancellationToken).ConfigureAwait(false);
        return new ActionResultDto(name, restored.Version, restored.Stage.ToString(), restored.Version, actor);
    }

    public async Task<ActionResultDto> SetStageAsync(string name, int version, bool reject, string actor, ActionRequest? request, CancellationToken cancellationToken)
    {
        ModelStage stage = reject ? ModelStage.Rejected : ModelStage.Archived;
        ModelVersion changed = await registry.SetStageAsync(
            name, version, stage, Change(actor, request, reject ? "Rejected by an operator." : "Archived by an operator."), cancellationToken).ConfigureAwait(false);
        ModelVersion? champion = await registry.GetChampionAsync(name, cancellationToken).ConfigureAwait(false);
        return new ActionResultDto(name, changed.Version, changed.Stage.ToString(), champion?.Version, actor);
    }

    public Task<ModelVersion> GetVersionAsync(string name, int version, CancellationToken cancellationToken) =>
        registry.GetAsync(name, version, cancellationToken);

    public Task<ModelVersion?> GetChampionAsync(string name, CancellationToken cancellationToken) =>
        registry.GetChampionAsync(name, cancellationToken);

    public Task<ModelVersion> SetStageChallengerAsync(string name, int version, string actor, string reason, CancellationToken cancellationToken) =>
        registry.SetStageAsync(name, version, ModelStage.Challenger, new RegistryChange(actor, reason), cancellationToken);

    internal static VersionDto ToDto(ModelVersion version) => new(
        version.Version,
        version.Stage.ToString(),
        version.Aliases,
        version.Metrics,
        ParseVerdict(version.EvaluationReport),
        new LineageDto(
            version.Lineage.DatasetHash,
            version.Lineage.TrainerType,
            version.Lineage.ParentVersion,
            version.Lineage.TrainingJobId,
            version.Lineage.TrainingWatermark,
            version.Lineage.HoldoutSize,
            version.Lineage.ReferenceScores),
        version.CreatedAt,
        version.CreatedBy,
        version.ArtifactSha256,
        version.ArtifactSize);

    private static JsonElement? ParseVerdict(string? report)
    {
        if (string.IsNullOrWhiteSpace(report))
        {
            return null;
        }

        using var document = JsonDocument.Parse(report);
        return document.RootElement.Clone();
    }

    private static RegistryChange Change(string actor, ActionRequest? request, string defaultReason) =>
        new(actor, string.IsNullOrWhiteSpace(request?.Reason) ? defaultReason : request.Reason) { ExpectedRevision = request?.ExpectedRevision };

    private async Task<Dictionary<string, CanaryDto>> CanariesAsync(CancellationToken cancellationToken)
    {
        var canaries = new Dictionary<string, CanaryDto>(StringComparer.Ordinal);
        foreach (Experiment experiment in await experiments.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (experiment.Status == ExperimentStatus.Running)
            {
                canaries[experiment.Definition.ModelName] = new CanaryDto(
                    experiment.Key, experiment.Definition.ChampionVersion, experiment.Definition.ChallengerVersion, experiment.ChallengerShare, experiment.RampStep, experiment.Definition.Ramp.Shares, experiment.StartedAt);
            }
        }

        return canaries;
    }

    /// <summary>A page of versions, oldest first, with the model's version count, the newest version of the next (older) page, its champion and its running canary.</summary>
    internal sealed record VersionsPage(IReadOnlyList<VersionDto> Versions, int VersionCount, int? NextNewestVersion, VersionDto? Champion, CanaryDto? Canary);
}
