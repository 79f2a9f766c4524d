using System.Diagnostics;

namespace SelfLearning.Training;

/// <summary>Measures a run's wall time (through the engine's clock), process CPU time and managed allocations.</summary>
internal readonly struct ResourceMeter
{
    private readonly long _startTimestamp;
    private readonly TimeSpan _startCpu;
    private readonly long _startAllocated;

    private ResourceMeter(long startTimestamp, TimeSpan startCpu, long startAllocated)
    {
        _startTimestamp = startTimestamp;
        _startCpu = startCpu;
        _startAllocated = startAllocated;
    }

    public static ResourceMeter Start(TimeProvider time) => new(time.GetTimestamp(), CpuTime(), GC.GetTotalAllocatedBytes(precise: false));

    public TrainingResourceUsage Stop(TimeProvider time) => new(
        time.GetElapsedTime(_startTimestamp),
        CpuTime() - _startCpu,
        Math.Max(0, GC.GetTotalAllocatedBytes(precise: false) - _startAllocated));

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
