using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SelfLearning.Registry;
using Xunit.Abstractions;

namespace SelfLearning.PostgreSql.Tests.Registry;

/// <summary>
/// Instances on one database hear of each other's registry changes: by <c>LISTEN/NOTIFY</c> within a bounded time, and
/// by comparing with the database when a notification was never sent or was lost.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlRegistryNotificationTests(PostgreSqlServer server, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly string _database = server.CreateDatabaseAsync().GetAwaiter().GetResult();
    private readonly List<PostgreSqlModelRegistry> _registries = [];

    [Fact]
    public async Task Promotion_OnOneInstance_IsRaisedOnTheOtherWithinTwoSeconds()
    {
        PostgreSqlModelRegistry left = Create();
        PostgreSqlModelRegistry right = Create();
        var heard = new ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)>();
        right.Changed += (_, e) => heard.Enqueue((e, Stopwatch.GetTimestamp()));
        for (int v = 1; v <= 2; v++)
        {
            await left.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { (byte)v });
        }

        // The listener connects in the background: promote until the other instance hears one, then measure.
        await ActivateUntilHeardAsync(left, heard);

        var latencies = new List<TimeSpan>();
        for (int round = 0; round < 20; round++)
        {
            heard.Clear();
            int version = 1 + (round % 2);
            long before = Stopwatch.GetTimestamp();
            ModelVersion champion = await left.ActivateAsync("triage", version, new RegistryChange("left", "round " + round.ToString(CultureInfo.InvariantCulture)));
            var change = await WaitForAsync(heard, c => c.Change.Kind == ModelChangeKind.ChampionChanged && c.Change.Name == "triage");
            champion.Version.Should().Be(version);
            latencies.Add(Stopwatch.GetElapsedTime(before, change.At));
        }

        latencies.Sort();
        output.WriteLine($"promotion on one instance to Changed on the other, 20 rounds: median {latencies[10].TotalMilliseconds:F1} ms, max {latencies[^1].TotalMilliseconds:F1} ms");
        latencies[^1].Should().BeLessThan(TimeSpan.FromSeconds(2), "a promotion reaches every instance within 2 s");
    }

    [Fact]
    public async Task OwnWrites_AreRaisedOnce_AndOtherInstancesWritesAreRaised()
    {
        PostgreSqlModelRegistry left = Create();
        PostgreSqlModelRegistry right = Create();
        var leftHeard = new ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)>();
        var rightHeard = new ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)>();
        await left.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { 1 });
        await ActivateUntilHeardAsync(left, rightHeard, right);
        await ActivateUntilHeardAsync(right, leftHeard, left);
        left.Changed += (_, e) => leftHeard.Enqueue((e, Stopwatch.GetTimestamp()));
        leftHeard.Clear();

        ModelVersion own = await left.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "left" }, new byte[] { 2 });
        ModelVersion other = await right.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "right" }, new byte[] { 3 });
        await right.SetTagAsync("triage", other.Version, "marker", "last", new RegistryChange("right"));

        // Notifications arrive in commit order on one connection: once the marker written last is heard, every earlier
        // change has been (late notifications of the warm-up's tag probes come before the registrations).
        await WaitForAsync(leftHeard, _ =>
        {
            var kinds = leftHeard.Select(c => c.Change.Kind).ToList();
            int second = kinds.IndexOf(ModelChangeKind.Registered, kinds.IndexOf(ModelChangeKind.Registered) + 1);
            return second >= 0 && kinds.Skip(second + 1).Contains(ModelChangeKind.MetadataChanged);
        });
        leftHeard.Count(c => c.Change.Kind == ModelChangeKind.Registered).Should().Be(
            2, "its own registration once (raised by the write itself), the other instance's once (from the notification)");
        own.Version.Should().Be(2);
    }

    [Fact]
    public async Task ChampionChangedWithoutANotification_IsFoundByPolling()
    {
        PostgreSqlModelRegistry writer = Create();
        await writer.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { 1 });
        await writer.RegisterAsync(new ModelRegistration { Name = "triage", CreatedBy = "test" }, new byte[] { 2 });
        await writer.ActivateAsync("triage", 1, new RegistryChange("ops"));
        PostgreSqlModelRegistry follower = Create(TimeSpan.FromMilliseconds(200));
        var heard = new ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)>();
        follower.Changed += (_, e) => heard.Enqueue((e, Stopwatch.GetTimestamp()));
        await ActivateUntilHeardAsync(writer, heard, follower, version: 1);
        heard.Clear();

        // The champion moves by hand, behind every registry: no NOTIFY is sent.
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var swap = new NpgsqlCommand(
                """
                UPDATE selflearning.registry_versions SET stage = 3 WHERE name = 'triage' AND version = 1;
                UPDATE selflearning.registry_versions SET stage = 2 WHERE name = 'triage' AND version = 2;
                UPDATE selflearning.registry_models SET revision = revision + 1 WHERE name = 'triage';
                """,
                connection);
            await swap.ExecuteNonQueryAsync();
        }

        var found = await WaitForAsync(heard, c => c.Change.Kind == ModelChangeKind.ChampionChanged);
        found.Change.Name.Should().Be("triage");
        (await follower.GetChampionAsync("triage"))!.Version.Should().Be(2);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(2 * 24 * 60 * 60 * 1000)]
    public void Constructor_PollIntervalOutOfRange_NamesIt(int milliseconds)
    {
        var act = () => new PostgreSqlModelRegistry(_database, changePollInterval: TimeSpan.FromMilliseconds(milliseconds));
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("changePollInterval").WithMessage("*100 ms and 1 day*");
    }

    public void Dispose()
    {
        foreach (PostgreSqlModelRegistry registry in _registries)
        {
            registry.Dispose();
        }
    }

    private static async Task<(ModelRegistryChangedEventArgs Change, long At)> WaitForAsync(
        ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)> heard, Func<(ModelRegistryChangedEventArgs Change, long At), bool> match)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            foreach (var change in heard)
            {
                if (match(change))
                {
                    return change;
                }
            }

            waited.Elapsed.Should().BeLessThan(Deadline, "the change should have been heard");
            await Task.Yield();
        }
    }

    /// <summary>Activates a version on <paramref name="writer"/> until a registry change is heard (the listener is connected from then on).</summary>
    private static async Task ActivateUntilHeardAsync(
        PostgreSqlModelRegistry writer, ConcurrentQueue<(ModelRegistryChangedEventArgs Change, long At)> heard, PostgreSqlModelRegistry? listener = null, int version = 1)
    {
        EventHandler<ModelRegistryChangedEventArgs>? handler = null;
        if (listener is not null)
        {
            handler = (_, e) => heard.Enqueue((e, Stopwatch.GetTimestamp()));
            listener.Changed += handler;
        }

        var waited = Stopwatch.StartNew();
        while (heard.IsEmpty)
        {
            waited.Elapsed.Should().BeLessThan(Deadline, "the other instance should start listening");
            await writer.SetTagAsync("triage", version, "probe", waited.ElapsedTicks.ToString(CultureInfo.InvariantCulture), new RegistryChange("probe"));
            long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
            while (heard.IsEmpty && Stopwatch.GetTimestamp() < until)
            {
                await Task.Yield();
            }
        }

        if (listener is not null)
        {
            listener.Changed -= handler;
        }
    }

    private PostgreSqlModelRegistry Create(TimeSpan? pollInterval = null)
    {
        var registry = new PostgreSqlModelRegistry(_database, changePollInterval: pollInterval);
        _registries.Add(registry);
        return registry;
    }
}
