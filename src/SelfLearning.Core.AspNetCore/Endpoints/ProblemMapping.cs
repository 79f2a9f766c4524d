using Microsoft.AspNetCore.Http;
using SelfLearning.AspNetCore.Adapters;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Endpoints;

/// <summary>Turns the core's exceptions into RFC 9457 problem details: the one place that decides a status code.</summary>
internal static class ProblemMapping
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToResult(e) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>The problem for an exception, or <see langword="null"/> for one that is a server error (left to the host's handler).</summary>
    public static IResult? ToResult(Exception exception) => exception switch
    {
        RegistryConcurrencyException or ConcurrencyConflictException => TypedResults.Problem(
            exception.Message, statusCode: StatusCodes.Status409Conflict, title: "The resource changed; read it again and retry."),
        KeyNotFoundException => TypedResults.Problem(
            exception.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found."),
        ArgumentException argument => TypedResults.ValidationProblem(
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [Field(argument)] = [Detail(argument)] },
            Detail(argument),
            title: "The request is not valid."),
        InvalidOperationException => TypedResults.Problem(
            exception.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "A rule refuses this action."),
        _ => null,
    };

    private static string Field(ArgumentException e) => string.IsNullOrEmpty(e.ParamName) ? "request" : e.ParamName;

    private static string Detail(ArgumentException e)
    {
        // ArgumentException.Message appends " (Parameter 'x')"; the field is reported on its own.
        string message = e.Message;
        string suffix = $" (Parameter '{e.ParamName}')";
        int at = message.IndexOf(suffix, StringComparison.Ordinal);
        return at >= 0 ? message.Remove(at, suffix.Length) : message;
    }
}
