using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Adapters;

/// <summary>Every call the endpoints make into the core's monitoring, cases and events.</summary>
internal sealed class MonitoringAdapter(
    IModelRegistry registry,
    IExperimentStore experiments,
    ISelfLearningLoop loop,
    ISelfLearningEvents events,
    IServiceProvider services)
{
    public async Task<MonitoringDto> GetAsync(string model, CancellationToken cancellationToken)
    {
        ModelVersion? champion = await registry.GetChampionAsync(model, cancellationToken).ConfigureAwait(false);
        int? challenger = null;
        foreach (Experiment e in await experiments.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Status == ExperimentStatus.Running && string.Equals(e.Definition.ModelName, model, StringComparison.Ordinal))
            {
                challenger = e.Definition.ChallengerVersion;
            }
        }

        string prefix = model + "/";
        var drift = services.GetService<IDriftStatusProvider>()?.GetDistributionReports()
            .Where(r => r.Monitor.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => new DriftDto(r.Monitor, r.ReferenceCount, r.LiveCount, r.Psi, r.KsPValue, r.Severity.ToString(), r.IsDrift, r.EvaluatedAt))
            .ToList() ?? [];
        return new MonitoringDto(
            model,
            champion?.Version,
            champion is null ? null : Live(model, champion.Version),
            challenger is int c ? Live(model, c) : null,
            drift,
            await HealthAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<HealthDto> HealthAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<HealthCheckService>() is not { } health)
        {
            return new HealthDto("NotConfigured", []);
        }

        HealthReport report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new HealthDto(
            report.Status.ToString(),
            [.. report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new HealthEntryDto(e.Key, e.Value.Status.ToString(), e.Value.Description))]);
    }

    public CaseStatisticsDto CaseStatistics()
    {
        CaseCollector collector = services.GetService<CaseCollector>()
            ?? throw new KeyNotFoundException("The host registers no CaseCollector, so there are no collection statistics to show.");
        CaseCollectionStatistics s = collector.Statistics;
        return new CaseStatisticsDto(
            s.Read,
            s.Accepted,
            s.Rejected,
            s.Rejections.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal),
            s.AcceptedByLabel.ToDictionary(StringComparer.Ordinal),
            s.CasesNeedingReview,
            s.MeanQuality,
            s.NewCasesSinceLastTraining,
            s.LastCollectedAt);
    }

    /// <summary>Subscribes a bounded channel to the loop's events: a slow reader loses its oldest events, never blocks the loop.</summary>
    public (ChannelReader<EventDto> Reader, IDisposable Subscription) Subscribe(int capacity)
    {
        var channel = Channel.CreateBounded<EventDto>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        IDisposable subscription = events.Subscribe(e => channel.Writer.TryWrite(ToDto(e)));
        return (channel.Reader, new Unsubscribe(subscription, channel.Writer));
    }

    internal static EventDto ToDto(SelfLearningEvent e) => new(e.Kind.ToString(), e.OccurredAt, e.Model, e.Version, e.Message);

    private LiveMetricsDto? Live(string model, int version)
    {
        LiveMetricsSnapshot? s;
        try
        {
            s = loop.GetLiveMetrics(model, version);
        }
        catch (KeyNotFoundException)
        {
            // A model in the registry that the loop does not serve has no live window.
            return null;
        }

        return s is null ? null : new LiveMetricsDto(s.Version, s.Count, s.Accuracy, s.ExpectedCalibrationError, s.BrierScore, s.MeanConfidence, s.TotalRecorded, s.TakenAt);
    }

    private sealed class Unsubscribe(IDisposable subscription, ChannelWriter<EventDto> writer) : IDisposable
    {
        public void Dispose()
        {
            subscription.Dispose();
            writer.TryComplete();
        }
    }
}
