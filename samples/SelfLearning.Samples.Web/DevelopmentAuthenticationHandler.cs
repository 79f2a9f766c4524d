using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SelfLearning.Samples.Web;

/// <summary>
/// DEVELOPMENT ONLY — NOT AUTHENTICATION. Believes whoever the request says it is: the <c>X-Dev-User</c> header names the
/// user and <c>X-Dev-Roles</c> their roles (comma-separated). Without the header, and when <c>Sample:DevAuth:AutoSignIn</c>
/// is true, a browser that opens the dashboard (a GET outside the API) is "developer" with the operator role: the page sets a same-site,
/// HTTP-only cookie that the page's own API calls and event stream then carry. An API request with neither the header
/// nor that cookie stays anonymous and gets 401, as it does in a real host. The sample refuses to start with it outside
/// the Development environment. A real host uses its own scheme (cookies, OpenID Connect, JWT bearer) and maps its roles to the policies.
/// </summary>
internal sealed class DevelopmentAuthenticationHandler(
    IOptionsMonitor<DevelopmentAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<DevelopmentAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentOnly-Insecure";
    public const string UserHeader = "X-Dev-User";
    public const string RolesHeader = "X-Dev-Roles";
    public const string SignedInCookie = "selflearning-dev-signed-in";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? user = Request.Headers[UserHeader];
        string roles = Request.Headers[RolesHeader].ToString();
        if (string.IsNullOrWhiteSpace(user))
        {
            // A page is what a browser opens: a GET outside the API. A POST (the host's own /predict, a form) is an API call.
            bool page = HttpMethods.IsGet(Request.Method) && !Request.Path.StartsWithSegments(Options.ApiPath, StringComparison.OrdinalIgnoreCase);
            if (!Options.AutoSignIn || !(page || Request.Cookies.ContainsKey(SignedInCookie)))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (page)
            {
                Response.Cookies.Append(SignedInCookie, "1", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            }

            user = "developer";
            roles = SamplePolicies.OperatorRole;
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        claims.AddRange(roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
