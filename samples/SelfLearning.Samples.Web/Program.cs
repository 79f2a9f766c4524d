// The web sample: an ASP.NET Core host with the operators' API and dashboard under /selflearning, SQLite stores, and a
// SIMULATED feedback feeder. Its authentication is a DEVELOPMENT-ONLY scheme that trusts a request header: see
// DevelopmentAuthenticationHandler. Run: dotnet run --project samples/SelfLearning.Samples.Web [--urls http://127.0.0.1:5080]
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SelfLearning.AspNetCore;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Samples.Web;
using SelfLearning.Sqlite;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

var builder = WebApplication.CreateBuilder(args);
if (!builder.Environment.IsDevelopment())
{
    throw new InvalidOperationException(
        "This sample authenticates with a development-only scheme that trusts a request header; it runs only in the Development environment (ASPNETCORE_ENVIRONMENT=Development).");
}

string database = Path.GetFullPath(builder.Configuration["Sample:Database"] ?? "selflearning-web.db");
var cases = new SqliteCaseSource(Path.ChangeExtension(database, ".cases.db"));
builder.Services.AddSingleton(cases);
builder.Services.AddSelfLearning(o =>
    {
        o.RunInBackground = builder.Configuration.GetValue("Sample:Background", true);
        o.CycleInterval = TimeSpan.FromSeconds(builder.Configuration.GetValue("Sample:CycleSeconds", 15));
    })
    .UseSqlite(database)
    .AddCaseSource(cases)
    .AddTrainer<CalibrationTrainer>()
    .ConfigureAnonymizer(o =>
    {
        // A fixed, public sample key (32 bytes, Base64); a real host loads its key from a secret store.
        o.PseudonymizationKey = Convert.ToBase64String("selflearning-websample-public-k!"u8);
        o.IdentifyingAttributes = ["patient_id"];
    })
    .AddModel(FeedbackFeeder.Model, m =>
    {
        m.MinimumCases = 400;
        m.NewCasesThreshold = 1_500;
        m.RampShares = [0.1, 0.5];
        m.MinimumSamplesPerArm = 100;
        m.MinimumStepDuration = TimeSpan.FromMinutes(1);
        m.Gate.MinimumHoldoutSize = 100;
        m.Gate.BootstrapIterations = 200;
    });
builder.Services.AddHealthChecks().AddSelfLearningChecks();
if (builder.Configuration.GetValue("Sample:Feeder", true))
{
    builder.Services.AddHostedService<FeedbackFeeder>();
}

builder.Services.AddSelfLearningEndpoints();
builder.Services.AddSelfLearningAlerts(); // alerts to the log; a webhook too when Sample:Webhook:Url is set
if (builder.Configuration["Sample:Webhook:Url"] is { } webhook)
{
    builder.Services.AddSelfLearningWebhookAlerts(o =>
    {
        o.Url = new Uri(webhook);
        o.Secret = builder.Configuration["Sample:Webhook:Secret"];
    });
}

builder.Services.AddAuthentication(DevelopmentAuthenticationHandler.SchemeName)
    .AddScheme<DevelopmentAuthenticationOptions, DevelopmentAuthenticationHandler>(
        DevelopmentAuthenticationHandler.SchemeName, o => o.AutoSignIn = builder.Configuration.GetValue("Sample:DevAuth:AutoSignIn", true));
var endpointOptions = new SelfLearningEndpointOptions();
builder.Services.AddAuthorization(o => SamplePolicies.Add(o, endpointOptions.ReadPolicy, endpointOptions.OperatorPolicy));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/", () => Results.Redirect("/selflearning"));
app.MapSelfLearning("/selflearning");

// The host's own prediction endpoint: what the load test calls "predictions through the host".
app.MapPost("/predict", (string unitId, double score, IPredictionService serving) =>
{
    var prediction = serving.Predict(FeedbackFeeder.Model, unitId, score);
    return Results.Text(string.Create(CultureInfo.InvariantCulture, $"{prediction.Id} v{prediction.ModelVersion} {prediction.Probability:R}"));
}).RequireAuthorization(endpointOptions.ReadPolicy);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (string address in addresses)
    {
        Console.WriteLine($"SelfLearning dashboard: {address.TrimEnd('/')}/selflearning   (DEVELOPMENT-ONLY authentication: a browser that opens it is an operator; API calls without it get 401)");
    }
});
app.Run();

/// <summary>The sample's entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
