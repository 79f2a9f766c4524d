using BenchmarkDotNet.Running;

namespace SelfLearning.Benchmarks;

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter *Platt*</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        // The web sample's bounded load test (issue 16): --web-load http://127.0.0.1:5080 against a running sample.
        if (args.Length == 2 && args[0] == "--web-load")
        {
            return WebLoadTest.RunAsync(new Uri(args[1])).GetAwaiter().GetResult();
        }

        // The calibration quality behind MlNetCalibrationBenchmarks (issue 15): ECE and log loss of each calibrator's fit.
        if (args.Length == 1 && args[0] == "--mlnet-calibration-quality")
        {
            MlNetCalibrationBenchmarks.WriteQuality(Console.Out);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
