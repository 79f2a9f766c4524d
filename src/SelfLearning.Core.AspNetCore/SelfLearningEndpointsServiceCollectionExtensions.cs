using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SelfLearning.AspNetCore;
using SelfLearning.AspNetCore.Adapters;
using SelfLearning.AspNetCore.Dashboard;
using SelfLearning.AspNetCore.Endpoints;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what <c>MapSelfLearning</c> needs.</summary>
public static class SelfLearningEndpointsServiceCollectionExtensions
{
    /// <summary>The OpenAPI document name of the operators' API, served at <c>{prefix}/api/openapi/selflearning.json</c>.</summary>
    public const string OpenApiDocumentName = "selflearning";

    /// <summary>
    /// Registers the operators' endpoints, dashboard, problem details and OpenAPI document. Safe to call twice. The host
    /// still adds <c>AddSelfLearning()</c>, authentication, and the two authorization policies named in the options.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSelfLearningEndpoints(this IServiceCollection services, Action<SelfLearningEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SelfLearningEndpointOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ReadPolicy), "SelfLearningEndpointOptions.ReadPolicy must name a policy.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.OperatorPolicy), "SelfLearningEndpointOptions.OperatorPolicy must name a policy.")
            .Validate(o => o.IdempotencyWindow > TimeSpan.Zero, "SelfLearningEndpointOptions.IdempotencyWindow must be positive.")
            .Validate(o => o.IdempotencyCapacity > 0, "SelfLearningEndpointOptions.IdempotencyCapacity must be positive.")
            .Validate(o => o.EventBufferPerSubscriber > 0, "SelfLearningEndpointOptions.EventBufferPerSubscriber must be positive.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(RegistryAdapter)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SelfLearningJsonContext.Default));
        services.AddOpenApi(OpenApiDocumentName, o => o.ShouldInclude = d => string.Equals(d.GroupName, OpenApiDocumentName, StringComparison.Ordinal));
        services.TryAddSingleton<RegistryAdapter>();
        services.TryAddSingleton<JobsAdapter>();
        services.TryAddSingleton<ExperimentsAdapter>();
        services.TryAddSingleton<MonitoringAdapter>();
        services.TryAddSingleton<IdempotencyFilter>();
        services.TryAddSingleton<DashboardPage>();
        return services;
    }
}
