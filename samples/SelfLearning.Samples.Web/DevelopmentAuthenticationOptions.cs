using Microsoft.AspNetCore.Authentication;

namespace SelfLearning.Samples.Web;

/// <summary>Options of the development-only scheme.</summary>
internal sealed class DevelopmentAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets a value indicating whether a request without <c>X-Dev-User</c> is signed in as "developer" (operator).</summary>
    public bool AutoSignIn { get; set; } = true;
}
