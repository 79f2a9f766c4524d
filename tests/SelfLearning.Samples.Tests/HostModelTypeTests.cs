using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Hosting;
using SelfLearning.Tests.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Samples.Tests;

/// <summary>
/// A host's own model type — a nearest-centroid classifier written here, a trainer and a loader under one key — runs
/// the same feature-model weeks as the built-in types. This assembly has no InternalsVisibleTo from SelfLearning.Core,
/// so everything it does goes through the public API.
/// </summary>
public sealed class HostModelTypeTests
{
    [Fact]
    public void Assembly_SeesNoInternalsOfTheCore()
    {
        var visibleTo = typeof(ITrainer).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName);

        visibleTo.Should().NotContain(typeof(HostModelTypeTests).Assembly.GetName().Name);
    }

    [Fact]
    public async Task RunCycleAsync_HostNearestCentroidTypeOverShiftingWeeks_GatesCanariesPromotesAndRollsBack()
    {
        using var scenario = new FeatureWeeksScenario(
            NearestCentroidTrainer.Key,
            TaskKind.BinaryClassification,
            b => b.AddModelType(new NearestCentroidTrainer(), new NearestCentroidLoader()));

        await FeatureWeeksScript.RunAsync(scenario, restartAfterShift: false);

        scenario.Services.GetServices<IPredictorLoader>().Should().Contain(l => l.ModelType == NearestCentroidTrainer.Key);
    }

    /// <summary>Trains one centroid per class; its validation accuracy is the share of validation rows nearest their own class's centroid.</summary>
    private sealed class NearestCentroidTrainer : ITrainer
    {
        public const string Key = "host-nearest-centroid";

        public string ModelType => Key;

        public TaskKind TaskKind => TaskKind.BinaryClassification;

        public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
        {
            TrainingTable training = context.Data.Training;
            string[] classes = [.. training.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            var centroids = new double[classes.Length][];
            var counts = new int[classes.Length];
            for (int k = 0; k < classes.Length; k++)
            {
                centroids[k] = new double[training.FeatureCount];
            }

            for (int i = 0; i < training.RowCount; i++)
            {
                int k = Array.IndexOf(classes, training.Labels[i]);
                ReadOnlySpan<double> x = training.GetFeatures(i);
                for (int j = 0; j < x.Length; j++)
                {
                    centroids[k][j] += x[j];
                }

                counts[k]++;
            }

            for (int k = 0; k < classes.Length; k++)
            {
                for (int j = 0; j < training.FeatureCount; j++)
                {
                    centroids[k][j] /= counts[k];
                }
            }

            await context.CheckpointAsync(cancellationToken);
            var model = new NearestCentroidModel(classes, centroids);
            TrainingTable validation = context.Data.Validation;
            int right = 0;
            Span<double> p = stackalloc double[classes.Length];
            for (int i = 0; i < validation.RowCount; i++)
            {
                model.PredictProbabilities(validation.GetFeatures(i), p);
                right += classes[p[1] >= 0.5 ? 1 : 0] == validation.Labels[i] ? 1 : 0;
            }

            var metrics = new Dictionary<string, double> { [TrainingMetrics.Accuracy] = (double)right / validation.RowCount };
            return new TrainingResult(model.ToArtifact(), metrics, context.Parameters);
        }
    }

    /// <summary>Reads the trainer's JSON artifact back into the predictor.</summary>
    private sealed class NearestCentroidLoader : IPredictorLoader
    {
        public string ModelType => NearestCentroidTrainer.Key;

        public IPredictor Load(TrainingArtifact artifact) => NearestCentroidModel.Parse(artifact);
    }

    /// <summary>P(class k | x) ∝ exp(−‖x − c_k‖² / 2): a Gaussian with unit variance around each centroid. Immutable, so thread-safe.</summary>
    private sealed class NearestCentroidModel(string[] classes, double[][] centroids) : IClassificationPredictor
    {
        public const string ArtifactFormat = "host.nearest-centroid.v1+json";

        public string Format => ArtifactFormat;

        public int FeatureCount => centroids[0].Length;

        public IReadOnlyList<string> Classes => classes;

        public static NearestCentroidModel Parse(TrainingArtifact artifact)
        {
            if (artifact.Format != ArtifactFormat)
            {
                throw new ArgumentException($"Artifact format '{artifact.Format}' is not '{ArtifactFormat}'.", nameof(artifact));
            }

            var state = JsonSerializer.Deserialize<State>(artifact.Content.Span)
                ?? throw new ArgumentException("The artifact holds no model.", nameof(artifact));
            return new NearestCentroidModel(state.Classes, state.Centroids);
        }

        public void PredictProbabilities(ReadOnlySpan<double> features, Span<double> destination)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes.Length; k++)
            {
                double squared = 0.0;
                for (int j = 0; j < features.Length; j++)
                {
                    double d = features[j] - centroids[k][j];
                    squared += d * d;
                }

                destination[k] = -squared / 2.0;
                max = Math.Max(max, destination[k]);
            }

            double sum = 0.0;
            for (int k = 0; k < classes.Length; k++)
            {
                destination[k] = Math.Exp(destination[k] - max);
                sum += destination[k];
            }

            for (int k = 0; k < classes.Length; k++)
            {
                destination[k] /= sum;
            }
        }

        public TrainingArtifact ToArtifact() => new(ArtifactFormat, JsonSerializer.SerializeToUtf8Bytes(new State(classes, centroids)));

        private sealed record State(string[] Classes, double[][] Centroids);
    }
}
