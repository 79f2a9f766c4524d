using MathNet.Numerics;
using MathNet.Numerics.Random;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Exhaustive grid search with k-fold cross-validation on the training split only (the validation split stays
/// untouched for the final model's metrics). Rows are shuffled into folds with the context's seed, so the search
/// is deterministic.
/// </summary>
internal static class GridSearch
{
    /// <summary>Scores every point of <paramref name="trainer"/>'s search space and returns the best.</summary>
    /// <param name="trainer">The trainer, which declares the space.</param>
    /// <param name="context">The data (only its training split is used), base parameters and seed.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The best parameters (merged over the context's) and every candidate's fold scores.</returns>
    /// <exception cref="ArgumentException">The training split has fewer rows than folds.</exception>
    /// <exception cref="InvalidOperationException">The trainer does not report the selection metric.</exception>
    public static async Task<GridSearchResult> RunAsync(ITunableTrainer trainer, TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(trainer);
        Guard.NotNull(context);
        var space = trainer.SearchSpace;
        var training = context.Data.Training;
        if (training.RowCount < space.Folds)
        {
            throw new ArgumentException(
                $"The training split has {training.RowCount} rows, fewer than the {space.Folds} folds of the search.", nameof(context));
        }

        var folds = AssignFolds(training.RowCount, space.Folds, context.Seed);
        var grid = space.Grid();
        var candidates = new List<GridSearchCandidate>(grid.Count);
        int done = 0;
        foreach (var point in grid)
        {
            var parameters = context.Parameters.Merge(point);
            var scores = new double[space.Folds];
            for (int fold = 0; fold < space.Folds; fold++)
            {
                await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
                var data = new TrainingData(training.Select(folds[fold].Train), training.Select(folds[fold].Test), context.Data.DatasetId);
                var result = await trainer.TrainAsync(context.For(data, parameters), cancellationToken).ConfigureAwait(false);
                if (!result.ValidationMetrics.TryGetValue(space.SelectionMetric, out scores[fold]))
                {
                    throw new InvalidOperationException(
                        $"Trainer '{trainer.ModelType}' does not report the metric '{space.SelectionMetric}' its search space selects on.");
                }

                done++;
                context.Report(100.0 * done / (grid.Count * space.Folds), "tuning");
            }

            candidates.Add(new GridSearchCandidate(parameters, scores, scores.Average()));
        }

        var best = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            bool better = space.Goal == MetricGoal.Minimize ? candidate.MeanScore < best.MeanScore : candidate.MeanScore > best.MeanScore;
            if (better)
            {
                best = candidate;
            }
        }

        return new GridSearchResult(best.Parameters, candidates);
    }

    /// <summary>Shuffles row indices with <paramref name="seed"/> and deals them into <paramref name="k"/> contiguous folds.</summary>
    internal static (int[] Train, int[] Test)[] AssignFolds(int rows, int k, int seed)
    {
        int[] order = Combinatorics.GeneratePermutation(rows, new MersenneTwister(seed));
        var result = new (int[] Train, int[] Test)[k];
        for (int fold = 0; fold < k; fold++)
        {
            int start = (int)((long)fold * rows / k);
            int end = (int)((long)(fold + 1) * rows / k);
            var test = order[start..end];
            Array.Sort(test);
            var train = order[..start].Concat(order[end..]).Order().ToArray();
            result[fold] = (train, test);
        }

        return result;
    }
}
