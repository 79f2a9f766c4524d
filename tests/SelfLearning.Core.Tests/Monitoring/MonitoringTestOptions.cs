using Microsoft.Extensions.Options;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

internal static class MonitoringTestOptions
{
    public static IOptions<MonitoringOptions> Create(Action<MonitoringOptions>? configure = null)
    {
        var options = new MonitoringOptions();
        configure?.Invoke(options);
        return Options.Create(options);
    }
}
