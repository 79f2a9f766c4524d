namespace SelfLearning.AspNetCore.Alerts;

/// <summary>Options of the webhook alert sink: a JSON POST signed with HMAC-SHA256, retried, behind a circuit breaker.</summary>
public sealed class WebhookAlertSinkOptions
{
    /// <summary>The HTTP client name the sink uses from <c>IHttpClientFactory</c>; configure it there (proxy, certificates).</summary>
    public const string HttpClientName = "SelfLearning.Alerts.Webhook";

    /// <summary>The header carrying <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the request body under <see cref="Secret"/>.</summary>
    public const string SignatureHeader = "X-SelfLearning-Signature";

    /// <summary>Gets or sets the receiver's URL (http or https).</summary>
    /// <value>The default value is <see langword="null"/>; required.</value>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the shared secret of the signature (at least 16 characters; from the host's secret store).</summary>
    /// <value>The default value is <see langword="null"/>; required.</value>
    public string? Secret { get; set; }

    /// <summary>Gets or sets how many times a failed delivery (network error, 408, 429, 5xx) is retried.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry's delay; later ones back off exponentially with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the failure ratio over <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    /// <value>The default value is 0.5.</value>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest attempts in the sampling window before the circuit can open.</summary>
    /// <value>The default value is 4.</value>
    public int BreakerMinimumThroughput { get; set; } = 4;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long the circuit stays open; undelivered alerts wait in the dispatcher meanwhile.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
