using SelfLearning.Evaluation;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// A thread-safe sliding window over the outcomes of one model version: the last
/// <see cref="Capacity"/> outcomes, optionally only those younger than <see cref="Duration"/>. Recording
/// takes a short lock on this window only (one slot write, no allocation); <see cref="Snapshot"/> copies
/// the window under the lock and computes accuracy, ECE and Brier outside it with
/// <see cref="CalibrationMetrics"/>, so the numbers are exactly those of the batch metrics on the same outcomes.
/// </summary>
internal sealed class LiveMetricsWindow
{
    private readonly object gate = new();
    private readonly Entry[] entries;
    private readonly int calibrationBins;
    private readonly TimeProvider timeProvider;
    private int oldest;
    private int count;
    private long totalRecorded;

    /// <summary>Initializes a new instance of the <see cref="LiveMetricsWindow"/> class.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The registry version number, or 0 for the baseline before the first champion.</param>
    /// <param name="capacity">How many recent outcomes the window keeps (at least 1).</param>
    /// <param name="duration">How far back the window looks, or <see langword="null"/> for no time limit.</param>
    /// <param name="calibrationBins">The number of equal-width ECE bins (at least 1).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty, not positive or out of range.</exception>
    public LiveMetricsWindow(
        string model,
        int version,
        int capacity,
        TimeSpan? duration = null,
        int calibrationBins = CalibrationMetrics.DefaultBins,
        TimeProvider? timeProvider = null)
    {
        Model = Guard.NotNullOrWhiteSpace(model);
        Version = Guard.VersionOrBaseline(version);
        Guard.Positive(capacity);
        Guard.Positive(calibrationBins);
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), d, $"'{nameof(duration)}' must be positive when set, but is {d}.");
        }

        entries = new Entry[capacity];
        Duration = duration;
        this.calibrationBins = calibrationBins;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the model's key.</summary>
    public string Model { get; }

    /// <summary>Gets the registry version number, or 0 for the baseline before the first champion.</summary>
    public int Version { get; }

    /// <summary>Gets the maximum number of outcomes the window keeps.</summary>
    public int Capacity => entries.Length;

    /// <summary>Gets how far back in time the window looks, or <see langword="null"/> when only the count limits it.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>
    /// Records the outcome of a top-label prediction: its confidence and whether it was correct. The Brier
    /// score then measures the confidence against correctness (the top-label Brier score).
    /// </summary>
    /// <param name="confidence">The calibrated confidence of the prediction, in [0, 1].</param>
    /// <param name="correct">Whether the prediction turned out correct.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is outside [0, 1] or NaN.</exception>
    public void Record(double confidence, bool correct) => Record(confidence, correct, confidence, correct);

    /// <summary>Records the outcome of a prediction.</summary>
    /// <param name="confidence">The calibrated confidence in the predicted label, in [0, 1] (for accuracy and ECE).</param>
    /// <param name="correct">Whether the predicted label turned out correct.</param>
    /// <param name="probability">The predicted probability of the positive class, in [0, 1] (for the Brier score).</param>
    /// <param name="label">Whether the case turned out positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public void Record(double confidence, bool correct, double probability, bool label)
    {
        Guard.Probability(confidence);
        Guard.Probability(probability);
        long timestamp = Duration is null ? 0L : timeProvider.GetUtcNow().UtcTicks;
        var entry = new Entry(confidence, probability, timestamp, correct, label);
        lock (gate)
        {
            if (count < entries.Length)
            {
                entries[(oldest + count) % entries.Length] = entry;
                count++;
            }
            else
            {
                entries[oldest] = entry;
                oldest = (oldest + 1) % entries.Length;
            }

            totalRecorded++;
        }
    }

    /// <summary>Computes the metrics over the outcomes now in the window.</summary>
    /// <returns>An immutable snapshot; its metrics are <see langword="null"/> when the window is empty.</returns>
    public LiveMetricsSnapshot Snapshot()
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        double[] confidence;
        bool[] correct;
        double[] probability;
        bool[] label;
        long total;
        lock (gate)
        {
            DropExpired(now);
            confidence = new double[count];
            correct = new bool[count];
            probability = new double[count];
            label = new bool[count];
            for (int i = 0; i < count; i++)
            {
                Entry entry = entries[(oldest + i) % entries.Length];
                confidence[i] = entry.Confidence;
                correct[i] = entry.Correct;
                probability[i] = entry.Probability;
                label[i] = entry.Label;
            }

            total = totalRecorded;
        }

        if (confidence.Length == 0)
        {
            return new LiveMetricsSnapshot(Model, Version, 0, 0, null, null, null, null, total, now);
        }

        int correctCount = 0;
        double confidenceSum = 0.0;
        for (int i = 0; i < confidence.Length; i++)
        {
            correctCount += correct[i] ? 1 : 0;
            confidenceSum += confidence[i];
        }

        return new LiveMetricsSnapshot(
            Model,
            Version,
            confidence.Length,
            correctCount,
            (double)correctCount / confidence.Length,
            CalibrationMetrics.ExpectedCalibrationError(confidence, correct, calibrationBins),
            CalibrationMetrics.BrierScore(probability, label),
            confidenceSum / confidence.Length,
            total,
            now);
    }

    // Outcomes arrive in time order, so the expired ones are at the old end of the ring.
    private void DropExpired(DateTimeOffset now)
    {
        if (Duration is not { } duration)
        {
            return;
        }

        long cutoff = (now - duration).UtcTicks;
        while (count > 0 && entries[oldest].Timestamp < cutoff)
        {
            oldest = (oldest + 1) % entries.Length;
            count--;
        }
    }

    private readonly record struct Entry(double Confidence, double Probability, long Timestamp, bool Correct, bool Label);
}
