using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using SelfLearning.AspNetCore.Alerts;
using SelfLearning.Monitoring;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Tests.Alerts;

/// <summary>The webhook sink and the dispatcher against a real Kestrel receiver on 127.0.0.1.</summary>
public sealed class WebhookAlertSinkTests : IAsyncLifetime
{
    private const string Secret = "a-test-secret-of-some-length";
    private readonly ConcurrentQueue<HttpStatusCode> _plan = new();
    private readonly ConcurrentQueue<(string Body, string Signature, HttpStatusCode Answer)> _received = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private WebApplication _receiver = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            HttpStatusCode answer = _plan.TryDequeue(out HttpStatusCode planned) ? planned : HttpStatusCode.OK;
            _received.Enqueue((body, context.Request.Headers[WebhookAlertSinkOptions.SignatureHeader].ToString(), answer));
            return Results.StatusCode((int)answer);
        });
        await _receiver.StartAsync();
        string address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = new Uri(address.TrimEnd('/') + "/hook");
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task SendAsync_Alert_PostsJsonWhoseSignatureVerifies()
    {
        WebhookAlertSink sink = Sink();
        var alert = new SelfLearningAlert(Guid.NewGuid(), AlertKind.TrainingFailed, "triage", "job-7", "Training failed: out of memory.", _time.GetUtcNow());

        await sink.SendAsync(alert, CancellationToken.None);

        _received.Should().ContainSingle();
        var (body, signature, _) = _received.Single();
        signature.Should().Be(WebhookAlertSink.Signature(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));
        signature.Should().NotBe(WebhookAlertSink.Signature(Encoding.UTF8.GetBytes("another-secret-entirely"), Encoding.UTF8.GetBytes(body)));
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("id").GetGuid().Should().Be(alert.Id);
        json.RootElement.GetProperty("kind").GetString().Should().Be("TrainingFailed");
        json.RootElement.GetProperty("message").GetString().Should().Be("Training failed: out of memory.");
    }

    [Fact]
    public async Task SendAsync_ReceiverAnswers503Twice_RetriesAndDelivers()
    {
        _plan.Enqueue(HttpStatusCode.ServiceUnavailable);
        _plan.Enqueue(HttpStatusCode.ServiceUnavailable);
        WebhookAlertSink sink = Sink();

        await sink.SendAsync(Alert(), CancellationToken.None);

        _received.Select(r => r.Answer).Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        _received.Select(r => r.Body).Distinct().Should().ContainSingle("every attempt carries the same alert");
    }

    [Fact]
    public async Task SendAsync_ReceiverKeepsFailing_BreakerOpensAndStopsCallingIt()
    {
        for (int i = 0; i < 20; i++)
        {
            _plan.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        WebhookAlertSink sink = Sink();

        Func<Task> first = async () => await sink.SendAsync(Alert(), CancellationToken.None);
        await first.Should().ThrowAsync<Exception>();
        int calls = _received.Count;
        Func<Task> second = async () => await sink.SendAsync(Alert(), CancellationToken.None);

        await second.Should().ThrowAsync<BrokenCircuitException>();
        calls.Should().Be(4, "one attempt and three retries, after which the breaker (4 of 4 failed) is open");
        _received.Count.Should().Be(calls, "an open circuit does not call the receiver");
    }

    [Fact]
    public async Task Dispatcher_ReceiverDownThenBack_DeliversEachAlertOnceAndDropsDuplicatesWithinTheCooldown()
    {
        for (int i = 0; i < 4; i++)
        {
            _plan.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        using var dispatcher = Dispatcher(Sink());
        var drift = new SelfLearningEvent(SelfLearningEventKind.DriftDetected, _time.GetUtcNow(), "triage", 2, "Score drift.");

        dispatcher.Raise(AlertDispatcher.ToAlert(drift)!).Should().BeTrue();
        dispatcher.Raise(AlertDispatcher.ToAlert(drift)!).Should().BeFalse("the same model and version within the cooldown");
        await dispatcher.FlushAsync(CancellationToken.None);         // 4 failed attempts: the breaker opens, the alert stays
        await dispatcher.FlushAsync(CancellationToken.None);         // circuit open: the receiver is not called, the alert stays
        int whileDown = _received.Count;
        _time.Advance(TimeSpan.FromSeconds(31));                     // past the break: the circuit lets a call through
        await dispatcher.FlushAsync(CancellationToken.None);

        whileDown.Should().Be(4);
        dispatcher.PendingCount.Should().Be(0);
        var delivered = _received.Where(r => r.Answer == HttpStatusCode.OK).ToList();
        delivered.Should().ContainSingle();
        delivered[0].Body.Should().Contain("Score drift.");
        _received.Select(r => r.Body).Distinct().Should().ContainSingle("retries repeat the one alert, never another copy");

        _time.Advance(TimeSpan.FromMinutes(15));
        dispatcher.Raise(AlertDispatcher.ToAlert(drift)!).Should().BeTrue("after the cooldown the alert may be sent again");
    }

    [Fact]
    public async Task Dispatcher_JobRunningTooLong_RaisesOneAlertPerJob()
    {
        var store = new InMemoryTrainingJobStore();
        DateTimeOffset started = _time.GetUtcNow();
        TrainingJob job = await store.AddAsync(new TrainingJob { Id = "job-long", ModelKey = "triage", ModelType = "calibration", CreatedAt = started, UpdatedAt = started });
        await store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Running, started) with { StartedAt = started });
        var sink = new RecordingSink();
        using var dispatcher = Dispatcher(sink, store);

        _time.Advance(TimeSpan.FromMinutes(90));
        await dispatcher.CheckJobsAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(40));
        await dispatcher.CheckJobsAsync(CancellationToken.None);
        await dispatcher.CheckJobsAsync(CancellationToken.None);
        await dispatcher.FlushAsync(CancellationToken.None);

        sink.Alerts.Should().ContainSingle().Which.Should().Match<SelfLearningAlert>(a => a.Kind == AlertKind.JobRunningLong && a.Subject == "job-long");
    }

    private static SelfLearningAlert Alert() => new(Guid.NewGuid(), AlertKind.ChampionRolledBack, "triage", "3", "Rolled back.", DateTimeOffset.UnixEpoch);

    private WebhookAlertSink Sink()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(WebhookAlertSinkOptions.HttpClientName);
        var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new WebhookAlertSink(factory, Options.Create(new WebhookAlertSinkOptions
        {
            Url = _url,
            Secret = Secret,
            MaxRetryAttempts = 3,
            RetryDelay = TimeSpan.Zero,
            BreakerMinimumThroughput = 4,
            BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(30),
        }), _time);
    }

    private AlertDispatcher Dispatcher(IAlertSink sink, ITrainingJobStore? store = null) => new(
        [sink],
        new NoEvents(),
        store ?? new InMemoryTrainingJobStore(),
        Options.Create(new SelfLearningAlertOptions { Cooldown = TimeSpan.FromMinutes(15), JobRunningLongerThan = TimeSpan.FromHours(2) }),
        _time,
        NullLogger<AlertDispatcher>.Instance);

    /// <summary>The dispatcher's event source; these tests raise alerts directly (the event mapping is <see cref="AlertDispatcher.ToAlert"/>).</summary>
    private sealed class NoEvents : ISelfLearningEvents
    {
        public IDisposable Subscribe(Action<SelfLearningEvent> handler) => new CancellationTokenSource();
    }

    private sealed class RecordingSink : IAlertSink
    {
        public ConcurrentQueue<SelfLearningAlert> Alerts { get; } = new();

        public ValueTask SendAsync(SelfLearningAlert alert, CancellationToken cancellationToken)
        {
            Alerts.Enqueue(alert);
            return ValueTask.CompletedTask;
        }
    }
}
