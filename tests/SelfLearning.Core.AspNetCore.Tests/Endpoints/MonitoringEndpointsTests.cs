using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Monitoring;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class MonitoringEndpointsTests : IClassFixture<MonitoringEndpointsTests.CollectorHost>
{
    private readonly CollectorHost _host;

    public MonitoringEndpointsTests(CollectorHost host) => _host = host;

    [Fact]
    public async Task CaseStatistics_AfterACollection_ReturnsCountsByReasonAndNoCase()
    {
        await _host.Services.GetRequiredService<CaseCollector>().CollectSnapshotAsync(CaseWatermark.Start);

        var response = await _host.Reader().GetAsync("/selflearning/api/cases/statistics");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stats = await SampleHostFactory.ReadJsonAsync(response);
        stats.GetProperty("read").GetInt64().Should().Be(3);
        stats.GetProperty("accepted").GetInt64().Should().Be(1);
        stats.GetProperty("rejectionsByReason").GetProperty("NotValidated").GetInt64().Should().Be(1);
        stats.GetProperty("rejectionsByReason").EnumerateObject().Sum(p => p.Value.GetInt64()).Should().Be(2);
        string text = stats.GetRawText();
        text.Should().NotContain("patient-4711").And.NotContain("case-1");
    }

    [Fact]
    public async Task Monitoring_KnownModel_ReturnsChampionAndHealth()
    {
        string name = await _host.SeedModelAsync();

        var monitoring = await SampleHostFactory.ReadJsonAsync(await _host.Reader().GetAsync($"/selflearning/api/monitoring/{name}"));

        monitoring.GetProperty("championVersion").GetInt32().Should().Be(2);
        monitoring.GetProperty("health").GetProperty("entries").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Monitoring_UnknownModel_Returns404()
    {
        var response = await _host.Reader().GetAsync("/selflearning/api/monitoring/no-such-model");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_Reader_ReturnsTheHostsChecks()
    {
        var health = await SampleHostFactory.ReadJsonAsync(await _host.Reader().GetAsync("/selflearning/api/monitoring/health"));

        health.GetProperty("status").GetString().Should().BeOneOf("Healthy", "Degraded", "Unhealthy");
        health.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Events_Subscriber_ReceivesReadyThenAPublishedEvent()
    {
        using HttpClient client = _host.Reader();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/selflearning/api/events");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        (await ReadEventAsync(reader, cts.Token)).Should().StartWith("event: ready");
        _host.Services.GetRequiredService<ISelfLearningEventPublisher>().Publish(new SelfLearningEvent(
            SelfLearningEventKind.RolledBack, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), "triage", 2, "Rolled back for the test."));
        string published = await ReadEventAsync(reader, cts.Token);

        published.Should().Contain("event: selflearning").And.Contain("\"kind\":\"RolledBack\"").And.Contain("Rolled back for the test.");
    }

    private static async Task<string> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && lines.Count > 0)
            {
                break;
            }

            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>The sample host plus a registered <see cref="CaseCollector"/> over three cases, two of which are rejected.</summary>
    public sealed class CollectorHost : IDisposable
    {
        private readonly SampleHostFactory _factory;

        public CollectorHost()
        {
            var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            var source = new InMemoryCaseSource(
            [
                Case("case-1", ValidationStatus.Validated, 0.95, at),
                Case("case-2", ValidationStatus.Pending, 0.95, at),
                Case("case-3", ValidationStatus.Validated, 0.2, at),
            ]);
            var anonymizer = new CaseAnonymizer(new CaseAnonymizerOptions
            {
                PseudonymizationKey = Convert.ToBase64String("tests-public-pseudonymisation-k!"u8),
                IdentifyingAttributes = ["patient_id"],
            });
            _factory = new SampleHostFactory { ConfigureServices = s => s.AddSingleton(new CaseCollector(source, anonymizer)) };
        }

        public IServiceProvider Services => _factory.Services;

        public HttpClient Reader() => _factory.Reader();

        public Task<string> SeedModelAsync() => _factory.SeedModelAsync();

        public void Dispose() => _factory.Dispose();

        private static FeedbackCase Case(string id, ValidationStatus status, double certainty, DateTimeOffset at) => new()
        {
            Id = id,
            ModelName = "triage",
            ModelVersion = "1",
            Input = new CaseInput { RawScore = 0.8 },
            PredictedLabel = "urgent",
            PredictedConfidence = 0.8,
            ValidatedLabel = "urgent",
            Status = status,
            ReviewerId = "reviewer-1",
            ReviewerCertainty = certainty,
            CreatedAt = at,
            ValidatedAt = at,
            Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["patient_id"] = "patient-4711" }),
        };
    }
}
