using System.Net;
using System.Net.Http.Json;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class ExperimentsEndpointsTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task StartExperiment_Operator_MakesTheVersionChallengerAndStartsTheTest()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator("eve").PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 3, split = 0.2, maximumDurationHours = 48 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var started = await SampleHostFactory.ReadJsonAsync(response);
        string key = started.GetProperty("key").GetString()!;
        started.GetProperty("challengerShare").GetDouble().Should().Be(0.2);
        started.GetProperty("championVersion").GetInt32().Should().Be(2, "versions are the registry's numbers in every DTO");
        (await host.Registry.GetAsync(name, 3)).Stage.Should().Be(ModelStage.Challenger);
        (await host.Registry.GetHistoryAsync(name))[^1].Actor.Should().Be("eve");

        var list = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/experiments?model={name}"));
        list.EnumerateArray().Select(e => e.GetProperty("key").GetString()).Should().Equal(key);
        var model = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/models/{name}"));
        model.GetProperty("canary").GetProperty("challengerVersion").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task GetExperiment_Started_ReturnsTalliesSequentialStateAndSampleRatio()
    {
        string name = await host.SeedModelAsync();
        string key = await StartAsync(name);

        var response = await host.Reader().GetAsync($"/selflearning/api/experiments/{key}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var detail = await SampleHostFactory.ReadJsonAsync(response);
        detail.GetProperty("championExposures").GetInt64().Should().Be(0);
        detail.GetProperty("metrics")[0].GetProperty("metric").GetString().Should().Be("brier");
        detail.GetProperty("metrics")[0].GetProperty("primary").GetBoolean().Should().BeTrue();
        detail.GetProperty("sampleRatio").GetProperty("isMismatch").GetBoolean().Should().BeFalse();
        detail.GetProperty("decisions").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData(0.7, "split")]
    [InlineData(0.0, "split")]
    public async Task StartExperiment_SplitOutOfRange_Returns400NamingSplit(double split, string field)
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 3, split });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        (await host.Registry.GetAsync(name, 3)).Stage.Should().Be(ModelStage.Candidate);
    }

    [Fact]
    public async Task StartExperiment_MissingChallenger_Returns400NamingChallengerVersion()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/experiments", new { model = name });

        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("challengerVersion");
    }

    [Fact]
    public async Task StartExperiment_UnknownChallenger_Returns404()
    {
        string name = await host.SeedModelAsync();

        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 7 });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StartExperiment_OneAlreadyRunning_Returns422()
    {
        string name = await host.SeedModelAsync(versions: 4);
        await StartAsync(name);

        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 4 });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task StopExperiment_Running_EndsItInconclusiveAndArchivesTheChallenger()
    {
        string name = await host.SeedModelAsync();
        string key = await StartAsync(name);

        var stop = await host.Operator("sam").PostAsync($"/selflearning/api/experiments/{key}/stop", null);
        var again = await host.Operator("sam").PostAsync($"/selflearning/api/experiments/{key}/stop", null);

        stop.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SampleHostFactory.ReadJsonAsync(stop)).GetProperty("status").GetString().Should().Be("Inconclusive");
        (await host.Registry.GetAsync(name, 3)).Stage.Should().Be(ModelStage.Archived);
        (await host.Registry.GetHistoryAsync(name))[^1].Actor.Should().Be("sam");
        again.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/stop")]
    public async Task ExperimentRoutes_UnknownKey_Return404(string method, string suffix)
    {
        var response = await host.Operator().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/selflearning/api/experiments/no-such" + suffix));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<string> StartAsync(string name)
    {
        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 3 });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("key").GetString()!;
    }
}
