using System.Net;

namespace SelfLearning.AspNetCore.Tests.Dashboard;

public sealed class DashboardPageTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task Dashboard_Reader_ShowsModelsWithoutControls()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().GetAsync("/selflearning");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'self'");
        string html = await response.Content.ReadAsStringAsync();
        html.Should().Contain($"data-model=\"{name}\"").And.Contain("data-chart=\"metrics\"").And.NotContain("data-action=");
    }

    [Fact]
    public async Task Dashboard_Operator_ShowsPromoteAndRollbackBehindAConfirmation()
    {
        string name = await host.SeedModelAsync();

        string html = await host.Operator().GetStringAsync("/selflearning");

        html.Should().Contain($"data-url=\"/selflearning/api/models/{name}/rollback\"")
            .And.Contain($"data-url=\"/selflearning/api/models/{name}/versions/3/promote\"")
            .And.Contain("data-confirm=\"Roll back");
    }

    [Fact]
    public async Task Dashboard_ModelWithMoreVersionsThanAPage_ShowsTheNewestPageAndLinksToTheRest()
    {
        string name = await host.SeedModelAsync(versions: 52, champions: 1);

        string html = await host.Reader().GetStringAsync("/selflearning");

        string section = html[html.IndexOf($"data-model=\"{name}\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        section.Should().Contain("<tr data-version=\"52\">").And.Contain("<tr data-version=\"3\">").And.NotContain("<tr data-version=\"2\">");
        section.Should().Contain($"The newest 50 of 52 versions; older ones: <a href=\"/selflearning/api/models/{name}/versions?newest=2\">");
        section.Should().Contain("data-champion=\"1\"", "the champion is read with the page wherever it is in the history");
    }

    [Theory]
    [InlineData("dashboard.css", "text/css")]
    [InlineData("dashboard.js", "text/javascript")]
    public async Task Assets_Embedded_AreServed(string file, string mediaType)
    {
        var response = await host.Reader().GetAsync("/selflearning/assets/" + file);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        (await response.Content.ReadAsByteArrayAsync()).Length.Should().BeGreaterThan(100);
    }

    [Fact]
    public async Task Assets_Unknown_Returns404()
    {
        var response = await host.Reader().GetAsync("/selflearning/assets/secrets.txt");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
