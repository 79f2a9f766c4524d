using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>
/// Posts each alert as JSON to a receiver, signed with HMAC-SHA256 of the body in <see cref="WebhookAlertSinkOptions.SignatureHeader"/>;
/// transient failures (network errors, 408, 429, 5xx) are retried with exponential back-off, and a Polly 8 circuit breaker
/// stops calling a receiver that keeps failing. A delivery that still fails throws, so the dispatcher keeps the alert.
/// </summary>
internal sealed class WebhookAlertSink : IAlertSink
{
    private readonly IHttpClientFactory _clients;
    private readonly Uri _url;
    private readonly byte[] _secret;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public WebhookAlertSink(IHttpClientFactory clients, IOptions<WebhookAlertSinkOptions> options, TimeProvider time)
    {
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        WebhookAlertSinkOptions o = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _url = o.Url ?? throw new ArgumentException("WebhookAlertSinkOptions.Url is required.", nameof(options));
        _secret = Encoding.UTF8.GetBytes(o.Secret ?? throw new ArgumentException("WebhookAlertSinkOptions.Secret is required.", nameof(options)));
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>()
            .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.MaxRetryAttempts,
                Delay = o.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = o.RetryDelay > TimeSpan.Zero,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakDuration,
            })
            .Build();
    }

    public async ValueTask SendAsync(SelfLearningAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(alert, AlertJsonContext.Default.SelfLearningAlert);
        string signature = Signature(_secret, body);
        HttpClient client = _clients.CreateClient(WebhookAlertSinkOptions.HttpClientName);
        using HttpResponseMessage response = await _pipeline.ExecuteAsync(
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(WebhookAlertSinkOptions.SignatureHeader, signature);
                return await client.SendAsync(request, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode} for alert {alert.Id}.", null, response.StatusCode);
        }
    }

    /// <summary>The signature header value of a body: <c>sha256=</c> and the lower-case hex HMAC-SHA256 under the secret.</summary>
    internal static string Signature(byte[] secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));
}
