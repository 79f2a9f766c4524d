namespace SelfLearning.AspNetCore.Alerts;

/// <summary>Where alerts go (a log, a webhook, a pager). Registered as <c>IEnumerable&lt;IAlertSink&gt;</c>; every sink gets every alert.</summary>
public interface IAlertSink
{
    /// <summary>Delivers one alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>A task that completes when the alert is delivered.</returns>
    /// <exception cref="Exception">Delivery failed; the dispatcher keeps the alert and tries this sink again later.</exception>
    ValueTask SendAsync(SelfLearningAlert alert, CancellationToken cancellationToken);
}
