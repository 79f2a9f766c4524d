using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class JobsEndpointsTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    private ITrainingJobStore Store => host.Services.GetRequiredService<ITrainingJobStore>();

    [Fact]
    public async Task ListJobs_FilterByModelAndState_PagesNewestFirst()
    {
        string model = "jobs-" + Guid.NewGuid().ToString("N")[..8];
        for (int i = 0; i < 5; i++)
        {
            await AddJobAsync(model, i, cancelled: i % 2 == 0);
        }

        var page = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/jobs?model={model}&state=cancelled&skip=1&take=1"));

        page.GetProperty("total").GetInt32().Should().Be(3);
        page.GetProperty("items").GetArrayLength().Should().Be(1);
        page.GetProperty("items")[0].GetProperty("id").GetString().Should().Be($"{model}-2");
        page.GetProperty("items")[0].GetProperty("state").GetString().Should().Be("Cancelled");
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("take=0", "take")]
    [InlineData("take=501", "take")]
    [InlineData("skip=-1", "skip")]
    public async Task ListJobs_InvalidFilter_Returns400NamingTheField(string query, string field)
    {
        var response = await host.Reader().GetAsync("/selflearning/api/jobs?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task GetJob_Known_ReturnsItAndItsProgress()
    {
        string model = "jobs-" + Guid.NewGuid().ToString("N")[..8];
        await AddJobAsync(model, 0, cancelled: false, progress: new TrainingProgress(40, "fitting"));

        var job = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/jobs/{model}-0"));
        var progress = await SampleHostFactory.ReadJsonAsync(await host.Reader().GetAsync($"/selflearning/api/jobs/{model}-0/progress"));

        job.GetProperty("model").GetString().Should().Be(model);
        job.GetProperty("state").GetString().Should().Be("Queued");
        progress.GetProperty("percent").GetDouble().Should().Be(40);
        progress.GetProperty("stage").GetString().Should().Be("fitting");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/progress")]
    [InlineData("POST", "/cancel")]
    [InlineData("POST", "/pause")]
    public async Task JobRoutes_UnknownJob_Return404(string method, string suffix)
    {
        var response = await host.Operator().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/selflearning/api/jobs/no-such-job" + suffix));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancel_QueuedJob_CancelsItAndASecondCancelIsRefusedWith422()
    {
        string model = "jobs-" + Guid.NewGuid().ToString("N")[..8];
        await AddJobAsync(model, 0, cancelled: false);

        var first = await host.Operator().PostAsync($"/selflearning/api/jobs/{model}-0/cancel", null);
        var second = await host.Operator().PostAsync($"/selflearning/api/jobs/{model}-0/cancel", null);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Store.FindAsync($"{model}-0"))!.State.Should().Be(TrainingJobState.Cancelled);
        second.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Pause_QueuedJob_Returns422NamingTheTransitionRule()
    {
        string model = "jobs-" + Guid.NewGuid().ToString("N")[..8];
        await AddJobAsync(model, 0, cancelled: false);

        var response = await host.Operator().PostAsync($"/selflearning/api/jobs/{model}-0/pause", null);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("detail").GetString().Should().Contain("from Queued a job may only move to Running, Cancelled");
    }

    [Fact]
    public async Task StartTraining_NoCasesYet_RunsTheJobInACycleAndReportsWhyItFailed()
    {
        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/jobs", new { model = "triage" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = await SampleHostFactory.ReadJsonAsync(response);
        result.GetProperty("outcome").GetString().Should().Be("TrainingFailed");
        var job = result.GetProperty("job");
        job.GetProperty("trigger").GetString().Should().Be("Manual");
        job.GetProperty("state").GetString().Should().Be("Failed");
        result.GetProperty("message").GetString().Should().Contain(job.GetProperty("id").GetString()).And.Contain("no usable new case");
    }

    [Fact]
    public async Task StartTraining_MissingModel_Returns400NamingModel()
    {
        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/jobs", new { });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SampleHostFactory.ReadJsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("model");
    }

    [Fact]
    public async Task StartTraining_UnknownModel_Returns404()
    {
        var response = await host.Operator().PostAsJsonAsync("/selflearning/api/jobs", new { model = "not-configured" });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task AddJobAsync(string model, int i, bool cancelled, TrainingProgress? progress = null)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
        TrainingJob job = await Store.AddAsync(new TrainingJob
        {
            Id = $"{model}-{i}",
            ModelKey = model,
            ModelType = "calibration",
            CreatedAt = at,
            UpdatedAt = at,
            Progress = progress,
        });
        if (cancelled)
        {
            (await Store.TryUpdateAsync(job.TransitionTo(TrainingJobState.Cancelled, at))).Should().NotBeNull();
        }
    }
}
