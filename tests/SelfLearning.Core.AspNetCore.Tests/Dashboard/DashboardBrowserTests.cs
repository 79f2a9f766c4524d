using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's Chromium driven by Playwright against the sample on Kestrel at 127.0.0.1.
/// The browser path comes from <c>SELFLEARNING_CHROMIUM</c> (default <c>/usr/bin/chromium</c>; <c>.ci/run</c> installs it).
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task Dashboard_InChromium_DrawsEveryChartShowsLiveEventsAndRollsBackFromTheButton()
    {
        string chromium = Environment.GetEnvironmentVariable("SELFLEARNING_CHROMIUM") ?? "/usr/bin/chromium";
        File.Exists(chromium).Should().BeTrue($"the browser test drives Debian's Chromium at {chromium} (apt-get install chromium; .ci/run does)");
        using var factory = new SampleHostFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        string baseAddress = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal)).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        string name = await SeedAsync(factory, baseAddress);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        await using IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Dev-User"] = "petra", ["X-Dev-Roles"] = "operator" },
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync(baseAddress + "/selflearning");
        await page.WaitForSelectorAsync("body[data-events='connected']");

        // Every chart is drawn: each svg[data-chart] has at least one mark with a visible size.
        var charts = await page.EvaluateAsync<JsonElement>(
            """
            () => [...document.querySelectorAll("svg[data-chart]")].map(svg => ({
              chart: svg.dataset.chart,
              drawn: [...svg.querySelectorAll("polyline.series, rect.bar, circle")].filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length,
            }))
            """);
        var drawn = charts.EnumerateArray().Select(c => (Chart: c.GetProperty("chart").GetString(), Marks: c.GetProperty("drawn").GetInt32())).ToList();
        drawn.Select(c => c.Chart).Should().Contain(["metrics", "reliability", "ramp", "progress"]);
        drawn.Count(c => c.Chart == "reliability").Should().Be(2, "before and after");
        drawn.Should().OnlyContain(c => c.Marks > 0);

        // An event appears live, without a reload.
        factory.Services.GetRequiredService<ISelfLearningEventPublisher>().Publish(new SelfLearningEvent(
            SelfLearningEventKind.DriftDetected, new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), name, 2, "Score drift seen by the browser test."));
        (await page.Locator("#events li[data-kind='DriftDetected']").First.TextContentAsync()).Should().Contain("Score drift seen by the browser test.");

        // A rollback clicked in the page (after its confirmation) changes the champion in the registry.
        await page.Locator($"section[data-model='{name}'] button[data-action='rollback']").ClickAsync();
        await page.WaitForSelectorAsync($"section[data-model='{name}'] .champion[data-champion='1']");
        ModelVersion? champion = await factory.Registry.GetChampionAsync(name);
        champion!.Version.Should().Be(1);
        (await factory.Registry.GetHistoryAsync(name))[^1].Actor.Should().Be("petra");
    }

    private static async Task<string> SeedAsync(SampleHostFactory factory, string baseAddress)
    {
        string name = await factory.SeedModelAsync();
        const string Bins = """[{"confidence":0.15,"frequency":0.1,"count":40},{"confidence":0.5,"frequency":0.45,"count":60},{"confidence":0.85,"frequency":0.7,"count":50}]""";
        await factory.Registry.SetEvaluationReportAsync(
            name, 3, "{\"passed\":true,\"holdoutSize\":150,\"championReliability\":" + Bins + ",\"candidateReliability\":" + Bins.Replace("0.7,", "0.83,", StringComparison.Ordinal) + "}",
            new RegistryChange("seed"));
        var store = factory.Services.GetRequiredService<ITrainingJobStore>();
        var at = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        await store.AddAsync(new TrainingJob
        {
            Id = name + "-job",
            ModelKey = name,
            ModelType = "calibration",
            CreatedAt = at,
            UpdatedAt = at,
            Progress = new TrainingProgress(35, "fitting", ImmutableDictionary<string, double>.Empty),
        });
        using var client = new HttpClient { BaseAddress = new Uri(baseAddress) };
        client.DefaultRequestHeaders.Add("X-Dev-User", "seed-operator");
        client.DefaultRequestHeaders.Add("X-Dev-Roles", "operator");
        var started = await client.PostAsJsonAsync("/selflearning/api/experiments", new { model = name, challengerVersion = 3, split = 0.1 });
        started.EnsureSuccessStatusCode();
        return name;
    }
}
