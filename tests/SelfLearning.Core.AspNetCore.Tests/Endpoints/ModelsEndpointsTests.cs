using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class ModelsEndpointsTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task GetModels_Reader_ListsModelWithChampion()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().GetAsync("/selflearning/api/models");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var models = await SampleHostFactory.ReadJsonAsync(response);
        var model = models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);
        model.GetProperty("championVersion").GetInt32().Should().Be(2);
        model.GetProperty("versionCount").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task GetModel_Known_ReturnsChampionAndStages()
    {
        string name = await host.SeedModelAsync();

        var model = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/models/{name}"));

        model.GetProperty("champion").GetProperty("version").GetInt32().Should().Be(2);
        model.GetProperty("stages").GetProperty("Champion").EnumerateArray().Select(v => v.GetInt32()).Should().Equal(2);
        model.GetProperty("stages").GetProperty("Candidate").EnumerateArray().Select(v => v.GetInt32()).Should().Equal(3);
        model.GetProperty("stages").GetProperty("Archived").EnumerateArray().Select(v => v.GetInt32()).Should().Equal(1);
        model.GetProperty("canary").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/versions")]
    [InlineData("/history")]
    [InlineData("/compare?a=1&b=2")]
    public async Task ModelRoutes_UnknownModel_Return404Problem(string suffix)
    {
        var response = await host.Reader().GetAsync("/selflearning/api/models/no-such-model" + suffix);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("detail").GetString().Should().Contain("no-such-model");
    }

    [Fact]
    public async Task GetVersions_Seeded_ReturnMetricsGateVerdictAndLineage()
    {
        string name = await host.SeedModelAsync();

        var versions = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/models/{name}/versions"));

        versions.GetArrayLength().Should().Be(3);
        JsonElement third = versions[2];
        third.GetProperty("version").GetInt32().Should().Be(3);
        third.GetProperty("metrics").GetProperty("ece").GetDouble().Should().BeApproximately(0.10 / 3, 1e-12);
        third.GetProperty("gateVerdict").GetProperty("holdoutSize").GetInt32().Should().Be(300);
        third.GetProperty("lineage").GetProperty("parentVersion").GetInt32().Should().Be(2);
        third.GetProperty("lineage").GetProperty("datasetHash").GetString().Should().Be("sha256-3");
    }

    [Fact]
    public async Task GetVersions_SmallPages_FollowTheLinkHeaderToVersionOne()
    {
        string name = await host.SeedModelAsync();

        var first = await host.Reader().GetAsync($"/selflearning/api/models/{name}/versions?take=2");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Headers.GetValues("X-Total-Count").Should().Equal("3");
        (await SampleHostFactory.ReadJsonAsync(first)).EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).Should().Equal(2, 3);
        string next = first.Headers.GetValues("Link").Should().ContainSingle().Subject;
        next.Should().Be($"</selflearning/api/models/{name}/versions?newest=1&take=2>; rel=\"next\"");

        var second = await host.Reader().GetAsync(next[1..next.IndexOf('>', StringComparison.Ordinal)]);

        (await SampleHostFactory.ReadJsonAsync(second)).EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).Should().Equal(1);
        second.Headers.Contains("Link").Should().BeFalse("version 1 is on this page");
    }

    [Theory]
    [InlineData("take=0", "take")]
    [InlineData("take=1001", "take")]
    [InlineData("newest=0", "newest")]
    public async Task GetVersions_PageOutOfRange_Returns400NamingTheParameter(string query, string field)
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().GetAsync($"/selflearning/api/models/{name}/versions?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Fact]
    public async Task GetHistory_Seeded_ReturnsEveryTransition()
    {
        string name = await host.SeedModelAsync();

        var history = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/models/{name}/history"));

        history.EnumerateArray().Select(t => (t.GetProperty("version").GetInt32(), t.GetProperty("to").GetString()))
            .Should().Equal((1, "Candidate"), (2, "Candidate"), (3, "Candidate"), (1, "Champion"), (1, "Archived"), (2, "Champion"));
    }

    [Fact]
    public async Task GetHistory_SmallPages_FollowTheLinkHeaderToTheFirstTransition()
    {
        string name = await host.SeedModelAsync();

        var first = await host.Reader().GetAsync($"/selflearning/api/models/{name}/history?take=4");

        (await SampleHostFactory.ReadJsonAsync(first)).EnumerateArray().Select(t => t.GetProperty("sequence").GetInt64()).Should().Equal(3, 4, 5, 6);
        string next = first.Headers.GetValues("Link").Should().ContainSingle().Subject;
        next.Should().Be($"</selflearning/api/models/{name}/history?newest=2&take=4>; rel=\"next\"");

        var second = await host.Reader().GetAsync(next[1..next.IndexOf('>', StringComparison.Ordinal)]);

        (await SampleHostFactory.ReadJsonAsync(second)).EnumerateArray().Select(t => t.GetProperty("sequence").GetInt64()).Should().Equal(1, 2);
        second.Headers.Contains("Link").Should().BeFalse("the first transition is on this page");
        (await host.Reader().GetAsync($"/selflearning/api/models/{name}/history?newest=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Compare_TwoVersions_ReturnsStoredMetricsSideBySide()
    {
        string name = await host.SeedModelAsync();

        var comparison = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/models/{name}/compare?a=1&b=3"));

        JsonElement ece = comparison.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "ece");
        ece.GetProperty("a").GetDouble().Should().BeApproximately(0.10, 1e-12);
        ece.GetProperty("b").GetDouble().Should().BeApproximately(0.10 / 3, 1e-12);
        ece.GetProperty("difference").GetDouble().Should().BeApproximately((0.10 / 3) - 0.10, 1e-12);
    }

    [Theory]
    [InlineData("b=2", "a")]
    [InlineData("a=1", "b")]
    [InlineData("a=x&b=2", "a")]
    [InlineData("a=1&b=-2", "b")]
    public async Task Compare_MissingOrInvalidVersion_Returns400NamingTheField(string query, string field)
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().GetAsync($"/selflearning/api/models/{name}/compare?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await SampleHostFactory.ReadJsonAsync(response);
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task Promote_Operator_ChangesChampionAndRecordsTheActor()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator("olga").PostAsJsonAsync($"/selflearning/api/models/{name}/versions/3/promote", new { reason = "better on the holdout" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(3);
        StageTransition last = (await host.Registry.GetHistoryAsync(name))[^1];
        last.Should().Match<StageTransition>(t => t.Version == 3 && t.To == ModelStage.Champion && t.Actor == "olga" && t.Reason == "better on the holdout");
    }

    [Fact]
    public async Task Promote_Reader_Returns403AndChangesNothing()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().PostAsync($"/selflearning/api/models/{name}/versions/3/promote", null);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task Promote_UnknownVersion_Returns404()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator().PostAsync($"/selflearning/api/models/{name}/versions/9/promote", null);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Promote_StaleExpectedRevision_Returns409AndChangesNothing()
    {
        string name = await host.SeedModelAsync();
        long revision = (await host.Registry.GetModelAsync(name)).Revision;

        var response = await host.Operator().PostAsJsonAsync($"/selflearning/api/models/{name}/versions/3/promote", new { expectedRevision = revision - 1 });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task Rollback_Operator_RestoresThePreviousChampionAndRecordsTheActor()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator("oscar").PostAsync($"/selflearning/api/models/{name}/rollback", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("championVersion").GetInt32().Should().Be(1);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(1);
        var history = await host.Registry.GetHistoryAsync(name);
        history.Where(t => t.Operation == RegistryOperation.RollBack).Should().OnlyContain(t => t.Actor == "oscar").And.NotBeEmpty();
    }

    [Fact]
    public async Task Rollback_NoEarlierChampion_Returns422()
    {
        string name = await host.SeedModelAsync(versions: 1, champions: 1);

        var response = await host.Operator().PostAsync($"/selflearning/api/models/{name}/rollback", null);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("detail").GetString().Should().Contain("roll back");
    }

    [Fact]
    public async Task Rollback_Reader_Returns403()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Reader().PostAsync($"/selflearning/api/models/{name}/rollback", null);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Promote_SameIdempotencyKeyTwice_ActsOnceAndReplaysTheResponse()
    {
        string name = await host.SeedModelAsync();
        HttpClient client = host.Operator();

        HttpResponseMessage first = await Send(client, HttpMethod.Post, $"/selflearning/api/models/{name}/versions/3/promote", "key-1");
        await host.Registry.ActivateAsync(name, 1, new RegistryChange("someone-else"));
        HttpResponseMessage second = await Send(client, HttpMethod.Post, $"/selflearning/api/models/{name}/versions/3/promote", "key-1");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(1, "the repeat must not promote version 3 again");
        (await host.Registry.GetHistoryAsync(name)).Count(t => t.Version == 3 && t.To == ModelStage.Champion).Should().Be(1);
    }

    [Fact]
    public async Task Write_IdempotencyKeyReusedOnAnotherRoute_Returns422()
    {
        string name = await host.SeedModelAsync();
        HttpClient client = host.Operator();
        (await Send(client, HttpMethod.Post, $"/selflearning/api/models/{name}/versions/3/promote", "key-2")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await Send(client, HttpMethod.Post, $"/selflearning/api/models/{name}/rollback", "key-2");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(3);
    }

    [Theory]
    [InlineData("reject", ModelStage.Rejected)]
    [InlineData("archive", ModelStage.Archived)]
    public async Task SetStage_Operator_MovesTheCandidateAndRecordsTheActor(string action, ModelStage expected)
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator("ruth").PostAsync($"/selflearning/api/models/{name}/versions/3/{action}", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.Registry.GetAsync(name, 3)).Stage.Should().Be(expected);
        (await host.Registry.GetHistoryAsync(name))[^1].Actor.Should().Be("ruth");
    }

    [Fact]
    public async Task Reject_Champion_Returns422()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator().PostAsync($"/selflearning/api/models/{name}/versions/2/reject", null);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await host.Registry.GetChampionAsync(name))!.Version.Should().Be(2);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string key)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
