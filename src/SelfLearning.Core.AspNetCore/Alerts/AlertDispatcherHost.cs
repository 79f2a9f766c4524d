using Microsoft.Extensions.Hosting;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>Runs the singleton <see cref="AlertDispatcher"/> as a hosted service (so tests and hosts can also reach the same instance).</summary>
internal sealed class AlertDispatcherHost(AlertDispatcher dispatcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => dispatcher.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);
}
