using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

/// <summary>
/// The web sample with its default development sign-in: a browser that opens the dashboard becomes an operator through
/// the cookie the page sets, while an API call with neither <c>X-Dev-User</c> nor that cookie stays anonymous and gets 401.
/// </summary>
public sealed class SampleSignInTests : IDisposable
{
    private readonly SampleHostFactory _host = new() { AutoSignIn = true };

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("/selflearning/api/models")]
    [InlineData("/selflearning/api/jobs")]
    [InlineData("/selflearning/api/events")]
    public async Task ApiRoute_AnonymousWithoutTheDashboardCookie_Returns401(string route)
    {
        using HttpClient anonymous = _host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using HttpResponseMessage response = await anonymous.GetAsync(route);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").Should().BeFalse("an API call never signs anyone in");
    }

    [Fact]
    public async Task HostsOwnPostEndpoint_AnonymousWithoutTheDashboardCookie_Returns401()
    {
        using HttpClient anonymous = _host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using HttpResponseMessage response = await anonymous.PostAsync("/predict?unitId=u-1&score=0.7", null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "only a GET page signs a browser in; a POST outside the API is an API call");
        response.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    [Fact]
    public async Task Dashboard_OpenedByABrowser_SignsItInForThePagesOwnApiCalls()
    {
        string model = await _host.SeedModelAsync(versions: 2, champions: 2);
        using HttpClient browser = _host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        using HttpResponseMessage page = await browser.GetAsync("/selflearning");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Headers.GetValues("Set-Cookie").Should().ContainSingle(c => c.StartsWith("selflearning-dev-signed-in=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        using HttpResponseMessage models = await browser.GetAsync("/selflearning/api/models");
        models.StatusCode.Should().Be(HttpStatusCode.OK, "the page's cookie signs in its API calls");
        using HttpResponseMessage rollback = await browser.PostAsync($"/selflearning/api/models/{model}/rollback", null);
        rollback.StatusCode.Should().Be(HttpStatusCode.OK, "the signed-in browser is an operator");
        (await _host.Registry.GetHistoryAsync(model))[^1].Actor.Should().Be("developer");
    }
}
