using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SelfLearning.Samples.Web;

/// <summary>Options of the development-only scheme.</summary>
internal sealed class DevelopmentAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether a browser without <c>X-Dev-User</c> is signed in as "developer" (operator) when
    /// it opens a page, and on API calls that carry the cookie the page set.
    /// </summary>
    public bool AutoSignIn { get; set; } = true;

    /// <summary>Gets or sets where the API is mapped: requests below it are never signed in without the header or the cookie.</summary>
    public PathString ApiPath { get; set; } = "/selflearning/api";
}
