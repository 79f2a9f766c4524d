using System.Buffers;
using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>Classification metrics and ROC AUC, agreeing with scikit-learn 1.2.1.</summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// Accuracy, per-class and macro/micro/weighted precision, recall and F1, and the confusion matrix, as
    /// scikit-learn's <c>accuracy_score</c>, <c>precision_recall_fscore_support(zero_division=0)</c> and
    /// <c>confusion_matrix</c>. The labels are those occurring in either list, sorted ordinally.
    /// </summary>
    /// <param name="actual">The true label of each case.</param>
    /// <param name="predicted">The predicted label of each case.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">A list is null or empty, holds a null label, or the lengths differ.</exception>
    public static ClassificationReport Compute(IReadOnlyList<string> actual, IReadOnlyList<string> predicted)
    {
        Guard.NotNull(actual);
        Guard.NotNull(predicted);
        if (actual.Count == 0)
        {
            throw new ArgumentException($"'{nameof(actual)}' must not be empty.", nameof(actual));
        }

        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException(
                $"'{nameof(predicted)}' has {predicted.Count} elements but '{nameof(actual)}' has {actual.Count}; they must have the same length.",
                nameof(predicted));
        }

        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        AddLabels(distinct, actual, nameof(actual));
        AddLabels(distinct, predicted, nameof(predicted));
        string[] labels = [.. distinct];
        var index = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++)
        {
            index[labels[i]] = i;
        }

        int k = labels.Length;
        var counts = new long[k, k];
        long correct = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            int a = index[actual[i]];
            int p = index[predicted[i]];
            counts[a, p]++;
            if (a == p)
            {
                correct++;
            }
        }

        int n = actual.Count;
        var classes = new ClassMetrics[k];
        double macroPrecision = 0.0;
        double macroRecall = 0.0;
        double macroF1 = 0.0;
        double weightedPrecision = 0.0;
        double weightedRecall = 0.0;
        double weightedF1 = 0.0;
        long truePositives = 0;
        long predictedTotal = 0;
        long actualTotal = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = counts[c, c];
            long support = 0;
            long predictedCount = 0;
            for (int j = 0; j < k; j++)
            {
                support += counts[c, j];
                predictedCount += counts[j, c];
            }

            double precision = Ratio(tp, predictedCount);
            double recall = Ratio(tp, support);
            double f1 = F1(precision, recall);
            classes[c] = new ClassMetrics(labels[c], precision, recall, f1, support);
            macroPrecision += precision;
            macroRecall += recall;
            macroF1 += f1;
            weightedPrecision += precision * support;
            weightedRecall += recall * support;
            weightedF1 += f1 * support;
            truePositives += tp;
            predictedTotal += predictedCount;
            actualTotal += support;
        }

        double microPrecision = Ratio(truePositives, predictedTotal);
        double microRecall = Ratio(truePositives, actualTotal);
        return new ClassificationReport(
            (double)correct / n,
            Array.AsReadOnly(classes),
            new AveragedMetrics(macroPrecision / k, macroRecall / k, macroF1 / k),
            new AveragedMetrics(microPrecision, microRecall, F1(microPrecision, microRecall)),
            new AveragedMetrics(weightedPrecision / n, weightedRecall / n, weightedF1 / n),
            new ConfusionMatrix(Array.AsReadOnly(labels), counts));
    }

    /// <summary>
    /// Area under the ROC curve as the Mann-Whitney U statistic over n₊·n₋ with average ranks for ties
    /// (a tied positive-negative pair counts one half), which equals scikit-learn's <c>roc_auc_score</c>.
    /// Sorts pooled copies of the inputs.
    /// </summary>
    /// <param name="scores">Finite scores; higher means more likely positive. Any scale (probabilities, margins).</param>
    /// <param name="labels">Whether each case is positive; both classes must occur.</param>
    /// <returns>The AUC, in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a non-finite score, or only one class.</exception>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Guard.NotEmpty(scores);
        Guard.SameLength(scores, labels);
        Guard.AllFinite(scores);
        Guard.BothClasses(labels);
        int n = scores.Length;
        double[] sorted = ArrayPool<double>.Shared.Rent(n);
        bool[] positive = ArrayPool<bool>.Shared.Rent(n);
        try
        {
            scores.CopyTo(sorted);
            labels.CopyTo(positive);
            Array.Sort(sorted, positive, 0, n);
            double positiveRankSum = 0.0;
            long positives = 0;
            int start = 0;
            while (start < n)
            {
                int end = start;
                long tiedPositives = 0;
                while (end < n && sorted[end] == sorted[start])
                {
                    if (positive[end])
                    {
                        tiedPositives++;
                    }

                    end++;
                }

                // Ranks start..end−1 (1-based start+1..end) share their average.
                double averageRank = (start + 1 + end) / 2.0;
                positiveRankSum += tiedPositives * averageRank;
                positives += tiedPositives;
                start = end;
            }

            double negatives = n - positives;
            double u = positiveRankSum - (positives * (positives + 1) / 2.0);
            return u / (positives * negatives);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sorted);
            ArrayPool<bool>.Shared.Return(positive);
        }
    }

    private static void AddLabels(SortedSet<string> labels, IReadOnlyList<string> values, string name)
    {
        for (int i = 0; i < values.Count; i++)
        {
            labels.Add(values[i] ?? throw new ArgumentException($"'{name}' must not hold null labels, but element {i} is null.", name));
        }
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    private static double F1(double precision, double recall)
    {
        double denominator = precision + recall;
        return denominator == 0.0 ? 0.0 : 2.0 * precision * recall / denominator;
    }
}
