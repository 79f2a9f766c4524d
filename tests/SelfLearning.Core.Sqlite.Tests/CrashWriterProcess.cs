using System.Diagnostics;

namespace SelfLearning.Sqlite.Tests;

/// <summary>Starts the crash tests' child process (SelfLearning.Core.Sqlite.CrashWriter, copied beside the tests) with its output redirected.</summary>
internal static class CrashWriterProcess
{
    public static Process Start(params string[] arguments)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "SelfLearning.Core.Sqlite.CrashWriter.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writer);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The crash writer child did not start.");
    }
}
