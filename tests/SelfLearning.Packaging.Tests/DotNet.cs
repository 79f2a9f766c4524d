using System.Diagnostics;
using System.Text;

namespace SelfLearning.Packaging.Tests;

/// <summary>Runs the <c>dotnet</c> CLI as a developer would, and keeps what it printed.</summary>
internal static class DotNet
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result ShouldSucceed(string what)
        {
            ExitCode.Should().Be(0, $"{what} must succeed; it printed:\n{Output}");
            return this;
        }
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild's and VSTest's variables; a developer's shell has none of them.
        foreach (string name in start.Environment.Keys.Where(k =>
            k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        // No build nodes left running after the test; they would outlive it and hold its machine's cores.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new StringBuilder();
        Task pumpOut = PumpAsync(process.StandardOutput, output);
        Task pumpError = PumpAsync(process.StandardError, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {timeout}; it printed:\n{output}");
        }

        await Task.WhenAll(pumpOut, pumpError);
        return new Result(process.ExitCode, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}
