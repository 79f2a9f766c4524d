using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.AspNetCore;
using SelfLearning.AspNetCore.Adapters;
using SelfLearning.AspNetCore.Dashboard;
using SelfLearning.AspNetCore.Endpoints;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the operators' REST API, the Server-Sent Events stream and the dashboard.</summary>
public static class SelfLearningEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard at <paramref name="prefix"/> and the API under <paramref name="prefix"/><c>/api</c>. Every endpoint
    /// requires <see cref="SelfLearningEndpointOptions.ReadPolicy"/> (unless <see cref="SelfLearningEndpointOptions.AllowAnonymousReads"/>),
    /// and every endpoint that changes state also <see cref="SelfLearningEndpointOptions.OperatorPolicy"/>.
    /// Call <c>services.AddSelfLearningEndpoints()</c> first.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix, e.g. <c>"/selflearning"</c>.</param>
    /// <returns>The route group, for further conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with '/'.</exception>
    public static RouteGroupBuilder MapSelfLearning(this IEndpointRouteBuilder endpoints, string prefix = "/selflearning")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The prefix must start with '/', but is '{prefix}'.", nameof(prefix));
        }

        SelfLearningEndpointOptions options = endpoints.ServiceProvider.GetRequiredService<IOptions<SelfLearningEndpointOptions>>().Value;
        string groupPrefix = prefix.TrimEnd('/');
        RouteGroupBuilder root = endpoints.MapGroup(groupPrefix);
        root.AddEndpointFilter(ProblemMapping.FilterAsync);
        if (options.AllowAnonymousReads)
        {
            root.AllowAnonymous();
        }
        else
        {
            root.RequireAuthorization(options.ReadPolicy);
        }

        DashboardEndpoints.Map(root, groupPrefix, options);
        RouteGroupBuilder api = root.MapGroup("/api").WithTags("SelfLearning").WithGroupName(SelfLearningEndpointsServiceCollectionExtensions.OpenApiDocumentName);
        api.MapOpenApi("/openapi/{documentName}.json");
        MapModels(api, options);
        MapJobs(api, options);
        MapExperiments(api, options);
        MapMonitoring(api, options);
        return root;
    }

    private static RouteHandlerBuilder Write(this RouteHandlerBuilder builder, SelfLearningEndpointOptions options) =>
        builder
            .RequireAuthorization(options.OperatorPolicy)
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<IdempotencyFilter>().FilterAsync(context, next))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static void MapModels(RouteGroupBuilder api, SelfLearningEndpointOptions options)
    {
        api.MapGet("/models", async (RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.ListAsync(ct).ConfigureAwait(false)));
        api.MapGet("/models/{name}", async (string name, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.GetAsync(name, ct).ConfigureAwait(false))).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/models/{name}/versions", async (string name, int? newest, int? take, HttpContext http, RegistryAdapter registry, CancellationToken ct) =>
        {
            int pageSize = VersionsTake(take);
            RegistryAdapter.VersionsPage page = await registry.VersionsAsync(name, Newest(newest), pageSize, ct).ConfigureAwait(false);
            http.Response.Headers["X-Total-Count"] = page.VersionCount.ToString(CultureInfo.InvariantCulture);
            if (page.NextNewestVersion is int next)
            {
                NextPageLink(http, next, pageSize);
            }

            return TypedResults.Ok(page.Versions);
        }).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/models/{name}/history", async (string name, long? newest, int? take, HttpContext http, RegistryAdapter registry, CancellationToken ct) =>
        {
            int pageSize = VersionsTake(take);
            IReadOnlyList<TransitionDto> page = await registry.HistoryAsync(name, Newest(newest), pageSize, ct).ConfigureAwait(false);
            if (page.Count > 0 && page[0].Sequence > 1)
            {
                NextPageLink(http, page[0].Sequence - 1, pageSize);
            }

            return TypedResults.Ok(page);
        }).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/models/{name}/compare", async (string name, string? a, string? b, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.CompareAsync(name, Version(a, nameof(a)), Version(b, nameof(b)), ct).ConfigureAwait(false)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/models/{name}/versions/{version:int}/promote", async (string name, int version, [FromBody] ActionRequest? body, ClaimsPrincipal user, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.PromoteAsync(name, version, Actor.Of(user), body, ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/models/{name}/rollback", async (string name, [FromBody] ActionRequest? body, ClaimsPrincipal user, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.RollBackAsync(name, Actor.Of(user), body, ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/models/{name}/versions/{version:int}/reject", async (string name, int version, [FromBody] ActionRequest? body, ClaimsPrincipal user, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.SetStageAsync(name, version, reject: true, Actor.Of(user), body, ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/models/{name}/versions/{version:int}/archive", async (string name, int version, [FromBody] ActionRequest? body, ClaimsPrincipal user, RegistryAdapter registry, CancellationToken ct) =>
            TypedResults.Ok(await registry.SetStageAsync(name, version, reject: false, Actor.Of(user), body, ct).ConfigureAwait(false))).Write(options);
    }

    private static void MapJobs(RouteGroupBuilder api, SelfLearningEndpointOptions options)
    {
        api.MapGet("/jobs", async (string? model, string? state, int? skip, int? take, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.ListAsync(model, States(state), Skip(skip), Take(take), ct).ConfigureAwait(false)))
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/jobs/{id}", async (string id, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.GetAsync(id, ct).ConfigureAwait(false))).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/jobs/{id}/progress", async Task<Results<Ok<ProgressDto>, NoContent>> (string id, JobsAdapter jobs, CancellationToken ct) =>
            await jobs.ProgressAsync(id, ct).ConfigureAwait(false) is { } progress ? TypedResults.Ok(progress) : TypedResults.NoContent())
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/jobs", async ([FromBody] StartTrainingRequest? body, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.StartAsync(Required(body?.Model, "model"), ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/jobs/{id}/cancel", async (string id, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.CancelAsync(id, ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/jobs/{id}/pause", async (string id, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.PauseOrResumeAsync(id, pause: true, ct).ConfigureAwait(false))).Write(options);
        api.MapPost("/jobs/{id}/resume", async (string id, JobsAdapter jobs, CancellationToken ct) =>
            TypedResults.Ok(await jobs.PauseOrResumeAsync(id, pause: false, ct).ConfigureAwait(false))).Write(options);
    }

    private static void MapExperiments(RouteGroupBuilder api, SelfLearningEndpointOptions options)
    {
        api.MapGet("/experiments", async (string? model, ExperimentsAdapter experiments, CancellationToken ct) =>
            TypedResults.Ok(await experiments.ListAsync(model, ct).ConfigureAwait(false)));
        api.MapGet("/experiments/{key}", async (string key, ExperimentsAdapter experiments, CancellationToken ct) =>
            TypedResults.Ok(await experiments.GetAsync(key, ct).ConfigureAwait(false))).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/experiments", async ([FromBody] StartExperimentRequest? body, ClaimsPrincipal user, ExperimentsAdapter experiments, CancellationToken ct) =>
            TypedResults.Ok(await experiments.StartAsync(body ?? new StartExperimentRequest(null, null, null, null, null), Actor.Of(user), ct).ConfigureAwait(false)))
            .Write(options);
        api.MapPost("/experiments/{key}/stop", async (string key, ClaimsPrincipal user, ExperimentsAdapter experiments, CancellationToken ct) =>
            TypedResults.Ok(await experiments.StopAsync(key, Actor.Of(user), ct).ConfigureAwait(false))).Write(options);
    }

    private static void MapMonitoring(RouteGroupBuilder api, SelfLearningEndpointOptions options)
    {
        api.MapGet("/cases/statistics", (MonitoringAdapter monitoring) => TypedResults.Ok(monitoring.CaseStatistics()))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/monitoring/health", async (MonitoringAdapter monitoring, CancellationToken ct) =>
            TypedResults.Ok(await monitoring.HealthAsync(ct).ConfigureAwait(false)));
        api.MapGet("/monitoring/{name}", async (string name, MonitoringAdapter monitoring, RegistryAdapter registry, CancellationToken ct) =>
        {
            await registry.GetAsync(name, ct).ConfigureAwait(false); // 404 for an unknown model
            return TypedResults.Ok(await monitoring.GetAsync(name, ct).ConfigureAwait(false));
        }).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/events", (MonitoringAdapter monitoring, TimeProvider time, CancellationToken ct) =>
            TypedResults.ServerSentEvents(Stream(monitoring, options.EventBufferPerSubscriber, time, ct)))
            .Produces<EventDto>(contentType: "text/event-stream");
    }

    private static async IAsyncEnumerable<SseItem<EventDto>> Stream(
        MonitoringAdapter monitoring, int capacity, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (reader, subscription) = monitoring.Subscribe(capacity);
        using (subscription)
        {
            // A first event flushes the response, so a client knows it is subscribed before anything happens.
            yield return new SseItem<EventDto>(new EventDto("Ready", time.GetUtcNow(), null, null, "Subscribed to the loop's events."), "ready");
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out EventDto? e))
                {
                    yield return new SseItem<EventDto>(e, "selflearning");
                }
            }
        }
    }

    private static int Version(string? value, string field) =>
        value is null
            ? throw new InvalidFieldException(field, $"'{field}' is required: the version to compare.")
            : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw new InvalidFieldException(field, $"'{field}' must be a positive version number, but is '{value}'.");

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidFieldException(field, $"'{field}' is required.") : value;

    private static int Skip(int? skip) =>
        skip is null or >= 0 ? skip ?? 0 : throw new ArgumentOutOfRangeException(nameof(skip), skip, $"'skip' must not be negative, but is {skip}.");

    private static int Take(int? take) =>
        take is null or (>= 1 and <= 500) ? take ?? 50 : throw new ArgumentOutOfRangeException(nameof(take), take, $"'take' must lie in [1, 500], but is {take}.");

    private static int? Newest(int? newest) =>
        newest is null or >= 1 ? newest : throw new ArgumentOutOfRangeException(nameof(newest), newest, $"'newest' must be a version number, at least 1, but is {newest}.");

    private static long? Newest(long? newest) =>
        newest is null or >= 1 ? newest : throw new ArgumentOutOfRangeException(nameof(newest), newest, $"'newest' must be a sequence number, at least 1, but is {newest}.");

    /// <summary>Points a paged answer to its next, older page (<c>Link: &lt;…?newest=N&amp;take=M&gt;; rel="next"</c>).</summary>
    private static void NextPageLink(HttpContext http, long newest, int take) =>
        http.Response.Headers.Link = string.Create(CultureInfo.InvariantCulture, $"<{http.Request.PathBase}{http.Request.Path}?newest={newest}&take={take}>; rel=\"next\"");

    private static int VersionsTake(int? take) =>
        take is null or (>= 1 and <= IModelRegistry.MaxVersionsPageSize)
            ? take ?? IModelRegistry.DefaultVersionsPageSize
            : throw new ArgumentOutOfRangeException(nameof(take), take, $"'take' must lie in [1, {IModelRegistry.MaxVersionsPageSize}], but is {take}.");

    private static TrainingJobState[]? States(string? state)
    {
        if (string.IsNullOrWhiteSpace(state))
        {
            return null;
        }

        var states = new List<TrainingJobState>();
        foreach (string part in state.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            states.Add(Enum.TryParse(part, ignoreCase: true, out TrainingJobState s) && Enum.IsDefined(s) && !int.TryParse(part, CultureInfo.InvariantCulture, out _)
                ? s
                : throw new ArgumentException(
                    $"'state' must be a comma-separated list of {string.Join(", ", Enum.GetNames<TrainingJobState>())}, but holds '{part}'.", nameof(state)));
        }

        return [.. states];
    }
}
