using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SelfLearning.Samples.Web;

/// <summary>
/// DEVELOPMENT ONLY — NOT AUTHENTICATION. Believes whoever the request says it is: the <c>X-Dev-User</c> header names the
/// user and <c>X-Dev-Roles</c> their roles (comma-separated); without the header, and when <c>Sample:DevAuth:AutoSignIn</c>
/// is true, everyone is "developer" with the operator role. The sample refuses to start with it outside the Development
/// environment. A real host uses its own scheme (cookies, OpenID Connect, JWT bearer) and maps its roles to the policies.
/// </summary>
internal sealed class DevelopmentAuthenticationHandler(
    IOptionsMonitor<DevelopmentAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<DevelopmentAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentOnly-Insecure";
    public const string UserHeader = "X-Dev-User";
    public const string RolesHeader = "X-Dev-Roles";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? user = Request.Headers[UserHeader];
        string roles = Request.Headers[RolesHeader].ToString();
        if (string.IsNullOrWhiteSpace(user))
        {
            if (!Options.AutoSignIn)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
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
