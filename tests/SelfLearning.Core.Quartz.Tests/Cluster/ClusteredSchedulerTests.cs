using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;
using SelfLearning.Hosting;
using SelfLearning.PostgreSql.Tests;
using SelfLearning.Quartz.Tests.TestSupport;
using NodeProgram = SelfLearning.Quartz.Node.Program;

namespace SelfLearning.Quartz.Tests.Cluster;

/// <summary>
/// The real thing: scheduler instances clustered through Quartz's ADO.NET job store on one PostgreSQL database (the
/// tables created by this project's script), each in a host running the loop with <c>UseQuartz</c>, the cycle's cron
/// firing every second. Two instances fire each time once between them, also after the one running the cycles stops;
/// a node killed (SIGKILL, in a process of its own) in the middle of a cycle has that firing run again, once, by
/// another. Each test waits on conditions with a deadline, and counts the cycles each instance started per fire time.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class ClusteredSchedulerTests(PostgreSqlServer server)
{
    private const int FireTimes = 6;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CycleJob_TwoClusteredSchedulersOnOnePostgreSqlDatabase_FiresEachScheduledTimeExactlyOnceAcrossTheCluster()
    {
        string database = await CreateQuartzTablesAsync();
        var recorder = new CycleRecorder();
        using IHost nodeA = Node(database, "node-a", recorder);
        using IHost nodeB = Node(database, "node-b", recorder);

        // Both instances start together: both find no trigger and store it, so it must still be stored (and fire) once.
        await Task.WhenAll(nodeA.StartAsync(), nodeB.StartAsync());
        IHost? stopped = null;
        try
        {
            await recorder.WaitUntilAsync(f => FireTimesOf(f) >= FireTimes / 2, Deadline, $"{FireTimes / 2} fire times ran the cycle");
            (await ScalarsAsync(database, "select instance_name from qrtz_scheduler_state order by instance_name"))
                .Should().Equal(["node-a", "node-b"], "both instances take part in the cluster");

            // The instance that ran the last cycle stops; the other one carries the schedule on, still once per fire time.
            string stoppedId = recorder.Finished[^1].Instance;
            stopped = stoppedId == "node-a" ? nodeA : nodeB;
            await stopped.StopAsync();
            int firedBeforeStop = recorder.Started.Count;
            await recorder.WaitUntilAsync(f => FireTimesOf(f) >= firedBeforeStop + (FireTimes / 2), Deadline, $"{FireTimes / 2} more fire times ran the cycle on the other instance");
            recorder.Started.Skip(firedBeforeStop).Should().OnlyContain(f => f.Instance != stoppedId, "a stopped instance fires nothing");
        }
        finally
        {
            await Task.WhenAll(new[] { nodeA, nodeB }.Where(n => n != stopped).Select(n => n.StopAsync()));
        }

        IReadOnlyList<CycleFiring> started = recorder.Started;
        started.Should().OnlyContain(f => f.Model == LoopHosts.Model && (f.Instance == "node-a" || f.Instance == "node-b"));
        started.GroupBy(f => f.ScheduledFireTime).Should().OnlyContain(g => g.Count() == 1,
            "one firing per fire time across the cluster; started per fire time and instance: {0}",
            string.Join(", ", started.Select(f => $"{f.ScheduledFireTime:HH:mm:ss} {f.Instance}")));
        DateTimeOffset[] times = [.. started.Select(f => f.ScheduledFireTime).Order()];
        times.Zip(times.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap == TimeSpan.FromSeconds(1), "no fire time between the first and the last was skipped");
        recorder.Finished.Should().HaveCount(started.Count).And.OnlyContain(f => f.Error == null && f.Result != null && f.Result.ModelName == LoopHosts.Model);

        int cycles = ((RecordingLoop)nodeA.Services.GetRequiredService<ISelfLearningLoop>()).Cycles
            + ((RecordingLoop)nodeB.Services.GetRequiredService<ISelfLearningLoop>()).Cycles;
        cycles.Should().Be(started.Count, "every cycle either instance ran was one firing of the cluster's trigger");
        (await ScalarsAsync(database, "select trigger_name || '/' || trigger_group from qrtz_triggers"))
            .Should().Equal([$"{LoopHosts.Model}/SelfLearning"], "the two instances stored one trigger between them");
    }

    [Fact]
    public async Task CycleJob_NodeKilledInTheMiddleOfACycle_AnotherNodeRunsThatFiringAgainOnceAndKeepsTheSchedule()
    {
        string database = await CreateQuartzTablesAsync();
        DateTimeOffset killedAt;
        using (Process child = StartChildNode(database, "node-killed"))
        {
            try
            {
                killedAt = await FirstStartedAsync(child);
            }
            finally
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no shutdown, the firing stays in qrtz_fired_triggers
                await child.WaitForExitAsync();
            }
        }

        var recorder = new CycleRecorder();
        using IHost survivor = Node(database, "node-b", recorder);
        await survivor.StartAsync();
        try
        {
            await recorder.WaitUntilAsync(
                f => f.Any(x => x.Recovering != null) && f.Count(x => x.Recovering == null) >= 2, Deadline, "the killed node's firing was recovered and the schedule went on");
        }
        finally
        {
            await survivor.StopAsync();
        }

        IReadOnlyList<CycleFiring> started = recorder.Started;
        CycleFiring recovered = started.Should().ContainSingle(f => f.Recovering != null, "the firing the killed node was running is run again, once").Subject;
        recovered.Instance.Should().Be("node-b");
        recovered.Recovering.Should().Be(killedAt, "the recovery runs the killed node's firing, for its fire time");
        started.Where(f => f.Recovering == null).Should().OnlyContain(f => f.ScheduledFireTime > killedAt, "the fire times after it follow, each once")
            .And.OnlyHaveUniqueItems(f => f.ScheduledFireTime);
        recorder.Finished.Should().OnlyContain(f => f.Error == null && f.Result != null);
    }

    private static Process StartChildNode(string database, string instanceId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SelfLearning.Core.Quartz.Node.dll"));
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(instanceId);
        return Process.Start(start) ?? throw new InvalidOperationException("The cluster node did not start.");
    }

    /// <summary>The scheduled fire time of the first cycle the child started (which never finishes), or a failure with its output.</summary>
    private static async Task<DateTimeOffset> FirstStartedAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(NodeProgram.StartedPrefix, StringComparison.Ordinal))
            {
                return DateTimeOffset.Parse(line[NodeProgram.StartedPrefix.Length..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }
        }

        throw new InvalidOperationException($"The cluster node exited with {child.ExitCode} before starting a cycle: {await child.StandardError.ReadToEndAsync()}");
    }

    private static int FireTimesOf(IReadOnlyList<CycleFiring> firings) => firings.Select(f => f.ScheduledFireTime).Distinct().Count();

    private static IHost Node(string database, string instanceId, CycleRecorder recorder) =>
        LoopHosts.ClusterNode(database, instanceId, q => q.AddJobListener(recorder));

    private async Task<string> CreateQuartzTablesAsync()
    {
        string database = await server.CreateDatabaseAsync();
        string script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Cluster", "quartz_tables_postgres.sql"));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(script, connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    private static async Task<List<string>> ScalarsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
