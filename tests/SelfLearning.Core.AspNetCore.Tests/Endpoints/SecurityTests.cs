using System.Net;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class SecurityTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/selflearning" },
        { "GET", "/selflearning/api/models" },
        { "GET", "/selflearning/api/models/triage" },
        { "GET", "/selflearning/api/models/triage/versions" },
        { "GET", "/selflearning/api/models/triage/history" },
        { "GET", "/selflearning/api/models/triage/compare?a=1&b=2" },
        { "POST", "/selflearning/api/models/triage/versions/1/promote" },
        { "POST", "/selflearning/api/models/triage/versions/1/reject" },
        { "POST", "/selflearning/api/models/triage/versions/1/archive" },
        { "POST", "/selflearning/api/models/triage/rollback" },
        { "GET", "/selflearning/api/jobs" },
        { "POST", "/selflearning/api/jobs" },
        { "GET", "/selflearning/api/jobs/j1" },
        { "GET", "/selflearning/api/jobs/j1/progress" },
        { "POST", "/selflearning/api/jobs/j1/cancel" },
        { "POST", "/selflearning/api/jobs/j1/pause" },
        { "POST", "/selflearning/api/jobs/j1/resume" },
        { "GET", "/selflearning/api/experiments" },
        { "POST", "/selflearning/api/experiments" },
        { "GET", "/selflearning/api/experiments/e1" },
        { "POST", "/selflearning/api/experiments/e1/stop" },
        { "GET", "/selflearning/api/cases/statistics" },
        { "GET", "/selflearning/api/monitoring/health" },
        { "GET", "/selflearning/api/monitoring/triage" },
        { "GET", "/selflearning/api/events" },
        { "GET", "/selflearning/api/openapi/selflearning.json" },
    };

    public static TheoryData<string> WriteRoutes => new()
    {
        "/selflearning/api/models/triage/versions/1/promote",
        "/selflearning/api/models/triage/versions/1/reject",
        "/selflearning/api/models/triage/versions/1/archive",
        "/selflearning/api/models/triage/rollback",
        "/selflearning/api/jobs",
        "/selflearning/api/jobs/j1/cancel",
        "/selflearning/api/jobs/j1/pause",
        "/selflearning/api/jobs/j1/resume",
        "/selflearning/api/experiments",
        "/selflearning/api/experiments/e1/stop",
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_Anonymous_Returns401(string method, string url)
    {
        var response = await host.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task WriteRoute_Reader_Returns403(string url)
    {
        var response = await host.Reader().PostAsync(url, null);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Route_UserWithoutAnyRole_Returns403()
    {
        var response = await host.As("nobody", "guest").GetAsync("/selflearning/api/models");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OpenApi_Reader_DescribesTheContractRoutes()
    {
        var document = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync("/selflearning/api/openapi/selflearning.json"));

        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should().Contain(
        [
            "/selflearning/api/models",
            "/selflearning/api/models/{name}",
            "/selflearning/api/models/{name}/versions",
            "/selflearning/api/models/{name}/history",
            "/selflearning/api/models/{name}/compare",
            "/selflearning/api/models/{name}/versions/{version}/promote",
            "/selflearning/api/models/{name}/rollback",
            "/selflearning/api/jobs",
            "/selflearning/api/jobs/{id}",
            "/selflearning/api/jobs/{id}/cancel",
            "/selflearning/api/experiments",
            "/selflearning/api/events",
        ]);
        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should().NotContain("/predict");
    }
}
