using System.Globalization;
using Microsoft.Extensions.Hosting;
using Quartz;
using SelfLearning.Quartz.Tests.TestSupport;

namespace SelfLearning.Quartz.Node;

/// <summary>
/// A node of the test cluster in a process of its own: it joins the cluster over the given PostgreSQL database, and
/// its cycles never finish. Each cycle it starts is printed as <c>started &lt;scheduled fire time, round-trip format&gt;</c>,
/// so the test can kill it in the middle of one.
/// </summary>
public static class Program
{
    /// <summary>The start of the line printed for each cycle started.</summary>
    public const string StartedPrefix = "started ";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: SelfLearning.Core.Quartz.Node <PostgreSQL connection string> <instance id>");
            return 2;
        }

        using IHost host = LoopHosts.ClusterNode(args[0], args[1], q => q.AddJobListener(new StartedPrinter()), RecordingLoop.Hang);
        await host.RunAsync();
        return 0;
    }

    private sealed class StartedPrinter : IJobListener
    {
        public string Name => nameof(StartedPrinter);

        public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            await Console.Out.WriteLineAsync(StartedPrefix + context.ScheduledFireTimeUtc!.Value.ToString("O", CultureInfo.InvariantCulture));
            await Console.Out.FlushAsync(cancellationToken);
        }
    }
}
