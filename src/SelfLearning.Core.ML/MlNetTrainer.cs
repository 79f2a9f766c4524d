using Microsoft.ML;
using Microsoft.ML.Data;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.ML;

/// <summary>
/// Trains any ML.NET pipeline as a model type of the loop. The host gives the pipeline as an estimator factory and the
/// task; the trainer turns the training split into an <see cref="IDataView"/> with an explicit schema — a
/// <c>Features</c> vector of Single and a <c>Label</c> column of the task's type (Boolean, a key over the sorted classes,
/// or Single) — fits it with <c>new MLContext(seed)</c>, and writes a deterministic artifact. Validation metrics are the
/// library's own (log loss and accuracy, RMSE/MAE/R², silhouette), measured through the loaded artifact, next to ML.NET's
/// evaluators' under an <c>mlnet_</c> prefix.
/// </summary>
/// <remarks>
/// <para>
/// Case attributes the host declares (<see cref="WithAttributes"/>: <see cref="MlNetAttributeColumn.Categorical"/>,
/// <see cref="MlNetAttributeColumn.HashedCategorical"/>, <see cref="MlNetAttributeColumn.Text"/>) become text columns of the
/// <see cref="IDataView"/>, named after the attributes. The trainer featurizes each (one-hot, hashed one-hot, or text
/// n-grams, into a column of the same name) and concatenates them after the numeric features into <c>Features</c>,
/// ahead of the host's estimator: the estimator factory stays the same with or without attributes and always reads
/// <c>Features</c>. A case without a declared attribute reads it as the empty string, which encodes as all zeros, as
/// does a category the training split did not hold. The artifact's input schema and manifest record the attribute
/// columns and their kinds.
/// </para>
/// <para>
/// The pipeline must read the features from <c>Features</c> and the label from <c>Label</c> as given (do not transform the
/// label: it is not present when serving), and a binary pipeline should end with a calibrated trainer (one that adds
/// <c>Probability</c>); an uncalibrated margin is served through the logistic function. For a byte-identical artifact
/// from the same data, parameters and seed, the pipeline itself must be deterministic, e.g. single-threaded trainers.
/// </para>
/// </remarks>
public sealed class MlNetTrainer : ITunableTrainer
{
    /// <summary>The prefix of the metrics that come from ML.NET's evaluators.</summary>
    public const string MlNetMetricPrefix = "mlnet_";

    private readonly Func<MLContext, TrainingParameters, IEstimator<ITransformer>> _estimator;
    private readonly TrainingParameters _defaults;
    private readonly MlNetPredictorLoader _loader;

    /// <summary>Creates a trainer over an ML.NET pipeline.</summary>
    /// <param name="modelType">The model-type key models use, e.g. <c>"no-show-fasttree"</c>.</param>
    /// <param name="taskKind">What the pipeline predicts; not <see cref="TaskKind.ScoreCalibration"/>.</param>
    /// <param name="estimator">Builds the pipeline from the run's context (seeded) and parameters (defaults merged in).</param>
    /// <param name="defaults">The parameters a run uses when the job does not set them; <see langword="null"/> for none.</param>
    /// <param name="searchSpace">The grid the loop's hyperparameter search tries; <see langword="null"/> for none (the defaults only).</param>
    /// <param name="attributes">The case attributes the model reads besides the features, and how each is featurized; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An attribute is declared twice, or more than 32 are declared.</exception>
    public MlNetTrainer(
        string modelType,
        TaskKind taskKind,
        Func<MLContext, TrainingParameters, IEstimator<ITransformer>> estimator,
        TrainingParameters? defaults = null,
        HyperparameterSpace? searchSpace = null,
        IEnumerable<MlNetAttributeColumn>? attributes = null)
    {
        _loader = new MlNetPredictorLoader(modelType, taskKind);
        _estimator = Guard.NotNull(estimator);
        _defaults = defaults ?? TrainingParameters.Empty;
        Attributes = MlNetAttributeColumn.Validate(attributes, nameof(attributes));
        SearchSpace = searchSpace ?? taskKind switch
        {
            TaskKind.Regression => new HyperparameterSpace(TrainingMetrics.RootMeanSquaredError, MetricGoal.Minimize, folds: 3),
            TaskKind.Clustering => new HyperparameterSpace(TrainingMetrics.Silhouette, MetricGoal.Maximize, folds: 3),
            _ => new HyperparameterSpace(TrainingMetrics.LogLoss, MetricGoal.Minimize, folds: 3),
        };
    }

    /// <inheritdoc />
    public string ModelType => _loader.ModelType;

    /// <inheritdoc />
    public TaskKind TaskKind => _loader.TaskKind;

    /// <inheritdoc />
    public HyperparameterSpace SearchSpace { get; }

    /// <summary>Gets the parameters a run uses when the job does not set them.</summary>
    public TrainingParameters Defaults => _defaults;

    /// <summary>Gets the case attributes the model reads besides the features, in column order (empty for none).</summary>
    public IReadOnlyList<MlNetAttributeColumn> Attributes { get; }

    /// <summary>
    /// A trainer like this one (same key, task, pipeline, defaults and grid) that also reads <paramref name="attributes"/>,
    /// e.g. <c>MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("note"))</c>.
    /// </summary>
    /// <param name="attributes">The attributes, replacing any this trainer declares.</param>
    /// <returns>The new trainer.</returns>
    /// <exception cref="ArgumentException">An attribute is declared twice, or more than 32 are declared.</exception>
    /// <remarks>Training refuses a declared attribute that every training case lacks (or holds empty), naming it.</remarks>
    public MlNetTrainer WithAttributes(params IEnumerable<MlNetAttributeColumn> attributes) =>
        new(ModelType, TaskKind, _estimator, _defaults, SearchSpace, Guard.NotNull(attributes));

    /// <summary>Creates the loader of this trainer's artifacts (same key and task), for <c>AddModelType</c>.</summary>
    /// <returns>The loader.</returns>
    public MlNetPredictorLoader CreateLoader() => new(ModelType, TaskKind);

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        Guard.NotNull(context);
        var data = context.Data;
        var kind = TaskKind switch
        {
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification => TrainingTableKind.Classification,
            TaskKind.Regression => TrainingTableKind.Regression,
            _ => TrainingTableKind.Clustering,
        };
        if (data.Kind != kind)
        {
            throw new ArgumentException($"Trainer '{ModelType}' needs {kind} data but was given {data.Kind} data.", nameof(context));
        }

        IReadOnlyList<string> classes = kind == TrainingTableKind.Classification ? Classes(data.Training, nameof(context)) : [];
        EnsureAttributesHaveValues(data.Training, nameof(context));
        var parameters = _defaults.Merge(context.Parameters);

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(0, "fitting");
        var ml = new MLContext(context.Seed);
        var training = MlNetRows.ToDataView(ml, data.Training, TaskKind, classes, Attributes);
        var estimator = _estimator(ml, parameters) ?? throw new InvalidOperationException($"The estimator factory of '{ModelType}' returned no estimator.");
        // Without attributes the host's estimator is fitted alone, so its artifact is the one it was before attributes existed.
        var model = Attributes.Count == 0 ? estimator.Fit(training) : Featurize(ml).Append(estimator).Fit(training);
        var manifest = new MlNetArtifact.Manifest
        {
            ModelType = ModelType,
            TaskKind = TaskKind,
            FeatureCount = data.Training.FeatureCount,
            Classes = classes,
        }.WithAttributes(Attributes);
        var artifact = MlNetArtifact.Write(ml, model, training.Schema, manifest);

        await context.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        context.Report(90, "validating");

        // Measured through the artifact as it will be loaded, so the metrics describe what is served.
        var predictor = (MlNetPredictor)_loader.Load(artifact);
        var metrics = LibraryMetrics(predictor, data.Validation);
        foreach (var (name, value) in MlNetMetrics(ml, predictor, data.Validation))
        {
            if (double.IsFinite(value))
            {
                metrics[MlNetMetricPrefix + name] = value;
            }
        }

        return new TrainingResult(artifact, metrics, parameters);
    }

    /// <summary>The attribute columns featurized in place and appended to <c>Features</c>.</summary>
    private EstimatorChain<ITransformer> Featurize(MLContext ml)
    {
        var chain = new EstimatorChain<ITransformer>();
        foreach (var attribute in Attributes)
        {
            string name = attribute.Name;
            chain = attribute.Kind switch
            {
                MlNetAttributeKind.Categorical => chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotEncoding(name, name)),
                MlNetAttributeKind.HashedCategorical => chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotHashEncoding(name, name, numberOfBits: MlNetAttributeColumn.HashBits)),
                _ => chain.Append<ITransformer>(ml.Transforms.Text.FeaturizeText(name, name)),
            };
        }

        string[] inputs = [MlNetRows.FeaturesColumn, .. Attributes.Select(a => a.Name)];
        return chain.Append<ITransformer>(ml.Transforms.Concatenate(MlNetRows.FeaturesColumn, inputs));
    }

    /// <summary>Refuses a declared attribute that no training case carries: ML.NET cannot featurize a column without a value.</summary>
    private void EnsureAttributesHaveValues(TrainingTable table, string parameterName)
    {
        foreach (var attribute in Attributes)
        {
            bool any = false;
            for (int i = 0; i < table.RowCount && !any; i++)
            {
                any = table.GetAttributes(i).TryGetValue(attribute.Name, out string? value) && !string.IsNullOrEmpty(value);
            }

            if (!any)
            {
                throw new ArgumentException(
                    $"Attribute column '{attribute.Name}' of trainer '{ModelType}' is empty in all {table.RowCount} training cases, so it cannot be featurized: " +
                    "check that the cases carry the attribute and that the anonymizer keeps it, or remove the column.",
                    parameterName);
            }
        }
    }

    private string[] Classes(TrainingTable table, string parameterName)
    {
        string[] classes = table.Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
        {
            throw new ArgumentException($"The training split holds only class '{classes[0]}'; trainer '{ModelType}' needs at least two.", parameterName);
        }

        if (TaskKind == TaskKind.BinaryClassification && classes.Length != 2)
        {
            throw new ArgumentException(
                $"Trainer '{ModelType}' is binary, but the training split holds {classes.Length} classes ({string.Join(", ", classes)}).", parameterName);
        }

        return classes;
    }

    private static Dictionary<string, double> LibraryMetrics(MlNetPredictor predictor, TrainingTable validation)
    {
        int n = validation.RowCount;
        switch (predictor)
        {
            case MlNetClassificationPredictor classifier:
            {
                var probabilities = new double[classifier.Classes.Count];
                double logLoss = 0.0;
                int correct = 0;
                for (int i = 0; i < n; i++)
                {
                    classifier.PredictProbabilities(validation.GetFeatures(i), validation.GetAttributes(i), probabilities);
                    int truth = -1;
                    int top = 0;
                    for (int k = 0; k < probabilities.Length; k++)
                    {
                        truth = string.Equals(classifier.Classes[k], validation.Labels[i], StringComparison.Ordinal) ? k : truth;
                        top = probabilities[k] > probabilities[top] ? k : top;
                    }

                    double p = truth >= 0 ? probabilities[truth] : 0.0;
                    logLoss -= Math.Log(Math.Clamp(p, 1e-15, 1.0 - 1e-15));
                    correct += top == truth ? 1 : 0;
                }

                return new() { [TrainingMetrics.LogLoss] = logLoss / n, [TrainingMetrics.Accuracy] = (double)correct / n };
            }

            case MlNetRegressionPredictor regressor:
            {
                var targets = validation.Targets;
                double mean = 0.0;
                for (int i = 0; i < n; i++)
                {
                    mean += targets[i] / n;
                }

                double squared = 0.0, absolute = 0.0, total = 0.0;
                for (int i = 0; i < n; i++)
                {
                    double error = regressor.Predict(validation.GetFeatures(i), validation.GetAttributes(i)) - targets[i];
                    squared += error * error;
                    absolute += Math.Abs(error);
                    total += (targets[i] - mean) * (targets[i] - mean);
                }

                var metrics = new Dictionary<string, double>
                {
                    [TrainingMetrics.RootMeanSquaredError] = Math.Sqrt(squared / n),
                    [TrainingMetrics.MeanAbsoluteError] = absolute / n,
                };
                if (total > 0.0)
                {
                    metrics[TrainingMetrics.RSquared] = 1.0 - (squared / total);
                }

                return metrics;
            }

            default:
            {
                var clustering = (MlNetClusteringPredictor)predictor;
                var points = new double[n][];
                var assignments = new int[n];
                for (int i = 0; i < n; i++)
                {
                    points[i] = validation.GetFeatures(i).ToArray();
                    assignments[i] = clustering.Assign(points[i], validation.GetAttributes(i));
                }

                var metrics = new Dictionary<string, double>();
                if (assignments.Distinct().Count() > 1)
                {
                    metrics[TrainingMetrics.Silhouette] = SelfLearning.Evaluation.ClusteringMetrics.Silhouette(points, assignments);
                }

                return metrics;
            }
        }
    }

    /// <summary>ML.NET's evaluators on the validation split, scored in one batch through <see cref="IDataView"/>.</summary>
    private static Dictionary<string, double> MlNetMetrics(MLContext ml, MlNetPredictor predictor, TrainingTable validation)
    {
        var scored = predictor.Score(validation);
        switch (predictor.Manifest.TaskKind)
        {
            case TaskKind.BinaryClassification when scored.Schema.GetColumnOrNull("Probability") is not null:
            {
                var m = ml.BinaryClassification.Evaluate(scored);
                return new()
                {
                    ["accuracy"] = m.Accuracy, ["auc"] = m.AreaUnderRocCurve, ["f1"] = m.F1Score, ["log_loss"] = m.LogLoss,
                };
            }

            case TaskKind.BinaryClassification:
            {
                var m = ml.BinaryClassification.EvaluateNonCalibrated(scored);
                return new() { ["accuracy"] = m.Accuracy, ["auc"] = m.AreaUnderRocCurve, ["f1"] = m.F1Score };
            }

            case TaskKind.MulticlassClassification:
            {
                var m = ml.MulticlassClassification.Evaluate(scored);
                return new() { ["micro_accuracy"] = m.MicroAccuracy, ["macro_accuracy"] = m.MacroAccuracy, ["log_loss"] = m.LogLoss };
            }

            case TaskKind.Regression:
            {
                var m = ml.Regression.Evaluate(scored);
                return new() { ["rmse"] = m.RootMeanSquaredError, ["mae"] = m.MeanAbsoluteError, ["r2"] = m.RSquared };
            }

            default:
            {
                var m = ml.Clustering.Evaluate(scored, labelColumnName: null, scoreColumnName: "Score", featureColumnName: MlNetRows.FeaturesColumn);
                return new() { ["average_distance"] = m.AverageDistance, ["davies_bouldin"] = m.DaviesBouldinIndex };
            }
        }
    }
}
