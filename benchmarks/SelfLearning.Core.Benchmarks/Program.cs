using BenchmarkDotNet.Running;

namespace SelfLearning.Benchmarks;

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter *Platt*</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
