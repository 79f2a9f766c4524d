using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Registry;

namespace SelfLearning.AspNetCore.Tests;

/// <summary>
/// The web sample in a test server: SQLite stores in a fresh directory, no feeder, no background loop, and the
/// development scheme without auto sign-in unless <see cref="AutoSignIn"/> is set, so a request is anonymous unless it sends <c>X-Dev-User</c>.
/// </summary>
public sealed class SampleHostFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sl-web-tests-" + Guid.NewGuid().ToString("N"));

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Gets a value indicating whether the development scheme signs in a browser that opens the dashboard (the sample's default).</summary>
    public bool AutoSignIn { get; init; }

    public IModelRegistry Registry => Services.GetRequiredService<IModelRegistry>();

    public HttpClient Anonymous() => CreateClient();

    public HttpClient As(string user, string role)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Dev-User", user);
        client.DefaultRequestHeaders.Add("X-Dev-Roles", role);
        return client;
    }

    public HttpClient Reader() => As("rita-reader", "reader");

    public HttpClient Operator(string name = "olga-operator") => As(name, "operator");

    /// <summary>Registers a model with versions 1..<paramref name="versions"/> and makes each of the first <paramref name="champions"/> champion in turn.</summary>
    public async Task<string> SeedModelAsync(int versions = 3, int champions = 2)
    {
        string name = "m" + Guid.NewGuid().ToString("N")[..10];
        for (int v = 1; v <= versions; v++)
        {
            await Registry.RegisterAsync(
                new ModelRegistration
                {
                    Name = name,
                    CreatedBy = "seed",
                    Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double>
                    {
                        ["ece"] = 0.10 / v,
                        ["brier"] = 0.20 - (0.01 * v),
                    }),
                    Lineage = new ModelLineage { DatasetHash = "sha256-" + v, TrainerType = "calibration", ParentVersion = v > 1 ? v - 1 : null },
                    EvaluationReport = "{\"passed\":true,\"holdoutSize\":" + (100 * v) + "}",
                },
                new byte[] { 1, 2, (byte)v });
        }

        for (int v = 1; v <= champions; v++)
        {
            await Registry.ActivateAsync(name, v, new RegistryChange("seed", "seeded"));
        }

        return name;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Development");
        builder.UseSetting("Sample:Database", Path.Combine(_directory, "selflearning.db"));
        builder.UseSetting("Sample:Feeder", "false");
        builder.UseSetting("Sample:Background", "false");
        builder.UseSetting("Sample:DevAuth:AutoSignIn", AutoSignIn ? "true" : "false");
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold a file for a moment; the temp directory is cleaned by the system.
            }
        }
    }
}
