using System.Security.Claims;

namespace SelfLearning.AspNetCore.Endpoints;

/// <summary>The authenticated user a manual action is recorded under in the registry history.</summary>
internal static class Actor
{
    public static string Of(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } identity
            ? identity.Name ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
                ?? throw new InvalidOperationException("The authenticated user has neither a name nor a name identifier to record as the actor.")
            : throw new InvalidOperationException("A manual action needs an authenticated user to record as the actor.");
}
