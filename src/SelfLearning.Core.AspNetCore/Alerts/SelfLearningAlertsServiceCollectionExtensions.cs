using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SelfLearning.AspNetCore.Alerts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the alert dispatcher and the built-in sinks.</summary>
public static class SelfLearningAlertsServiceCollectionExtensions
{
    /// <summary>Registers the alert dispatcher (a hosted service fed by the loop's events) and the log sink. Safe to call twice.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSelfLearningAlerts(this IServiceCollection services, Action<SelfLearningAlertOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SelfLearningAlertOptions>()
            .Validate(o => o.Cooldown >= TimeSpan.Zero, "SelfLearningAlertOptions.Cooldown must not be negative.")
            .Validate(o => o.JobRunningLongerThan > TimeSpan.Zero, "SelfLearningAlertOptions.JobRunningLongerThan must be positive.")
            .Validate(o => o.CheckInterval > TimeSpan.Zero, "SelfLearningAlertOptions.CheckInterval must be positive.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, LogAlertSink>());
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AlertDispatcherHost>());
        return services;
    }

    /// <summary>Adds the webhook sink: a signed JSON POST per alert through <c>IHttpClientFactory</c>, retried, behind a circuit breaker.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the URL and the secret at least.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddSelfLearningWebhookAlerts(this IServiceCollection services, Action<WebhookAlertSinkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSelfLearningAlerts();
        services.AddOptions<WebhookAlertSinkOptions>()
            .Configure(configure)
            .Validate(o => o.Url is { IsAbsoluteUri: true } u && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp), "WebhookAlertSinkOptions.Url must be an absolute http(s) URL.")
            .Validate(o => o.Secret is { Length: >= 16 }, "WebhookAlertSinkOptions.Secret must hold at least 16 characters.")
            .Validate(o => o.MaxRetryAttempts is >= 0 and <= 20, "WebhookAlertSinkOptions.MaxRetryAttempts must lie in [0, 20].")
            .ValidateOnStart();
        services.AddHttpClient(WebhookAlertSinkOptions.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, WebhookAlertSink>());
        return services;
    }
}
