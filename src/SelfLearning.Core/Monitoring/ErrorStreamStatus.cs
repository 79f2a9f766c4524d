namespace SelfLearning.Monitoring;

/// <summary>The state of an <see cref="ErrorStreamMonitor"/> at one moment.</summary>
/// <param name="Monitor">The monitored stream, e.g. "triage/v7".</param>
/// <param name="Observations">The outcomes seen in total.</param>
/// <param name="ErrorRate">ADWIN's window mean: the error rate since the last detected change.</param>
/// <param name="AdwinWidth">ADWIN's window width: the outcomes since the last detected change.</param>
/// <param name="PageHinkleyStatistic">The current Page-Hinkley statistic PH = m − M.</param>
/// <param name="Changes">The changes detected so far, by either detector.</param>
/// <param name="LastChangeAt">When the last change was detected, or <see langword="null"/>.</param>
/// <param name="IsAlarmed">Whether a change was detected since the last <see cref="ErrorStreamMonitor.Acknowledge"/>.</param>
public sealed record ErrorStreamStatus(
    string Monitor,
    long Observations,
    double ErrorRate,
    long AdwinWidth,
    double PageHinkleyStatistic,
    long Changes,
    DateTimeOffset? LastChangeAt,
    bool IsAlarmed);
