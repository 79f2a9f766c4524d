using System.Diagnostics.CodeAnalysis;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The predictions of one model version still awaiting their outcome, for the label-free accuracy estimate
/// (<see cref="LabelFreeAccuracy"/>). Thread-safe. Holds at most <see cref="Capacity"/> predictions; when full,
/// tracking a new one forgets the oldest, so predictions whose outcome never comes cannot grow it forever;
/// <see cref="Evicted"/> counts those forgotten.
/// </summary>
internal sealed class PendingPredictions
{
    private readonly object gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, double Confidence)>> byId = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, double Confidence)> byAge = new();
    private long evicted;

    /// <summary>Initializes a new instance of the <see cref="PendingPredictions"/> class.</summary>
    /// <param name="capacity">The most predictions kept (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public PendingPredictions(int capacity) => Capacity = Guard.Positive(capacity);

    /// <summary>Gets the most predictions kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets how many predictions were forgotten, unresolved, because <see cref="Capacity"/> was reached.</summary>
    public long Evicted
    {
        get
        {
            lock (gate)
            {
                return evicted;
            }
        }
    }

    /// <summary>Gets the number of predictions awaiting an outcome.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return byId.Count;
            }
        }
    }

    /// <summary>Tracks a prediction until its outcome arrives; tracking an id again replaces its confidence.</summary>
    /// <param name="predictionId">The prediction's identifier.</param>
    /// <param name="calibratedConfidence">Its calibrated confidence, in [0, 1].</param>
    /// <exception cref="ArgumentException">The id is empty or the confidence is outside [0, 1].</exception>
    public void Track(string predictionId, double calibratedConfidence)
    {
        Guard.NotNullOrWhiteSpace(predictionId);
        Guard.Probability(calibratedConfidence);
        lock (gate)
        {
            if (byId.Remove(predictionId, out var existing))
            {
                byAge.Remove(existing);
            }
            else if (byId.Count == Capacity)
            {
                byId.Remove(byAge.First!.Value.Id);
                byAge.RemoveFirst();
                evicted++;
            }

            byId.Add(predictionId, byAge.AddLast((predictionId, calibratedConfidence)));
        }
    }

    /// <summary>Stops tracking a prediction whose outcome arrived.</summary>
    /// <param name="predictionId">The prediction's identifier.</param>
    /// <param name="calibratedConfidence">The confidence it was tracked with, or 0 when it was not pending.</param>
    /// <returns><see langword="true"/> when the prediction was pending.</returns>
    public bool TryResolve(string predictionId, out double calibratedConfidence)
    {
        Guard.NotNull(predictionId);
        lock (gate)
        {
            if (byId.Remove(predictionId, out var node))
            {
                byAge.Remove(node);
                calibratedConfidence = node.Value.Confidence;
                return true;
            }
        }

        calibratedConfidence = 0.0;
        return false;
    }

    /// <summary>Estimates the accuracy the pending predictions will realise.</summary>
    /// <param name="confidenceLevel">The confidence level of the interval, in (0, 1).</param>
    /// <param name="estimate">The estimate, when a prediction is pending.</param>
    /// <returns><see langword="false"/> when nothing is pending.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    public bool TryEstimate(double confidenceLevel, [NotNullWhen(true)] out AccuracyEstimate? estimate)
    {
        Guard.InOpenRange(confidenceLevel, 0.0, 1.0);
        int count;
        double sum = 0.0;
        double variance = 0.0;
        lock (gate)
        {
            count = byAge.Count;
            foreach ((_, double p) in byAge)
            {
                sum += p;
                variance += p * (1.0 - p);
            }
        }

        estimate = count == 0 ? null : LabelFreeAccuracy.FromSums(count, sum, variance, confidenceLevel);
        return estimate is not null;
    }
}
