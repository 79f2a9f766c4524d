using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SelfLearning.AspNetCore.Endpoints;

/// <summary>
/// Makes a write idempotent by request id: a repeat of a request with the same <c>Idempotency-Key</c> header from the same
/// user gets the first response again instead of acting twice (also while the first is still running); the same key on
/// another route or body is refused with 422. Responses are kept for <see cref="SelfLearningEndpointOptions.IdempotencyWindow"/>
/// in this process. A request without the header is simply executed.
/// </summary>
internal sealed class IdempotencyFilter(IOptions<SelfLearningEndpointOptions> options, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaximumKeyLength = 200;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? key = http.Request.Headers[HeaderName];
        if (key is null)
        {
            return await InvokeAsync(context, next).ConfigureAwait(false);
        }

        if (key.Length is 0 or > MaximumKeyLength)
        {
            return ProblemMapping.ToResult(new InvalidFieldException(
                HeaderName, $"The {HeaderName} header must hold 1 to {MaximumKeyLength} characters, but holds {key.Length}."));
        }

        string user = http.User.Identity?.Name ?? string.Empty;
        string fingerprint = string.Concat(http.Request.Method, " ", http.Request.Path.Value, http.Request.QueryString.Value, " ", Body(context));
        DateTimeOffset now = time.GetUtcNow();
        var mine = new Entry(fingerprint, now);
        Entry entry = _entries.AddOrUpdate(
            user + "\n" + key,
            mine,
            (_, existing) => now - existing.CreatedAt > options.Value.IdempotencyWindow ? mine : existing);
        if (!ReferenceEquals(entry, mine))
        {
            if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return TypedResults.Problem(
                    $"The {HeaderName} '{key}' was used for another request ({entry.Fingerprint.Split(' ')[0]} {entry.Fingerprint.Split(' ')[1]}); use a new key for a new action.",
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused.");
            }

            http.Response.Headers["Idempotent-Replayed"] = "true";
            return await entry.Result.Task.ConfigureAwait(false);
        }

        Trim(now);
        try
        {
            object? result = await InvokeAsync(context, next).ConfigureAwait(false);
            mine.Result.TrySetResult(result);
            return result;
        }
        catch (Exception e)
        {
            // A server error is not remembered: the same key may try again.
            _entries.TryRemove(new KeyValuePair<string, Entry>(user + "\n" + key, mine));
            mine.Result.TrySetException(e);
            throw;
        }
    }

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (ProblemMapping.ToResult(e) is { } problem)
        {
            return problem;
        }
    }

    private static string Body(EndpointFilterInvocationContext context)
    {
        // The bound body (a record) prints its values; route and query are in the path already.
        foreach (object? argument in context.Arguments)
        {
            if (argument is ActionRequest or StartTrainingRequest or StartExperimentRequest)
            {
                return argument.ToString() ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private void Trim(DateTimeOffset now)
    {
        if (_entries.Count <= options.Value.IdempotencyCapacity)
        {
            return;
        }

        TimeSpan window = options.Value.IdempotencyWindow;
        var oldest = _entries.OrderBy(e => e.Value.CreatedAt).ToList();
        int excess = _entries.Count - options.Value.IdempotencyCapacity;
        foreach (var (k, e) in oldest)
        {
            if (excess <= 0 && now - e.CreatedAt <= window)
            {
                break;
            }

            if (_entries.TryRemove(new KeyValuePair<string, Entry>(k, e)))
            {
                excess--;
            }
        }
    }

    private sealed class Entry(string fingerprint, DateTimeOffset createdAt)
    {
        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
