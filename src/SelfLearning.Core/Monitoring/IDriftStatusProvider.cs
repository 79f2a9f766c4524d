namespace SelfLearning.Monitoring;

/// <summary>Where <see cref="DriftHealthCheck"/> reads the latest drift state; <see cref="DriftMonitorSet"/> is the default.</summary>
internal interface IDriftStatusProvider
{
    /// <summary>Gets the latest report of every score or input distribution monitor that has been evaluated.</summary>
    /// <returns>The reports.</returns>
    IReadOnlyList<DriftReport> GetDistributionReports();

    /// <summary>Gets the state of every error-stream monitor.</summary>
    /// <returns>The states.</returns>
    IReadOnlyList<ErrorStreamStatus> GetErrorStreams();
}
