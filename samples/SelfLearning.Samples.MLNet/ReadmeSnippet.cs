using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.ML;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Samples.MLNet;

/// <summary>
/// The README's "Bring your ML.NET model" snippet, compiled: the text between the markers is in the README verbatim
/// (a test checks it), and the sample builds its model type the same way.
/// </summary>
internal static class ReadmeSnippet
{
    public static MlNetTrainer Configure(HostApplicationBuilderLike builder, ICaseSource cases)
    {
        // README:begin
        var trainer = new MlNetTrainer(
            "no-show-fasttree",
            TaskKind.BinaryClassification,
            (ml, p) => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = p.GetInt32("trees", 100),
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 20,
                NumberOfThreads = 1, // single-threaded: the same data and seed give the same bytes
            }),
            defaults: TrainingParameters.Empty.With("trees", 100));

        builder.Services.AddSelfLearning()
            .AddCaseSource(cases)
            .AddMlNetModelType(trainer)
            .AddModel("no-show", m => m.TrainerType = trainer.ModelType);
        // README:end
        return trainer;
    }

    /// <summary>The README's attribute snippet: a ready model type that also reads a categorical and a text attribute.</summary>
    public static MlNetTrainer ConfigureWithAttributes(HostApplicationBuilderLike builder, ICaseSource cases)
    {
        // README:attributes:begin
        // Cases carry attributes, e.g. ["clinic"] = "north", ["note"] = "asked to move the visit". Declare the ones the
        // model reads: a category (one-hot) and a text (word and character n-grams), both appended to Features.
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(
            MlNetAttributeColumn.Categorical("clinic"),
            MlNetAttributeColumn.Text("note"));

        builder.Services.AddSelfLearning()
            .AddCaseSource(cases)
            .AddMlNetModelType(trainer)
            .AddModel("no-show", m => m.TrainerType = trainer.ModelType);
        // README:attributes:end
        return trainer;
    }

    /// <summary>The README's serving call with attributes.</summary>
    public static Prediction PredictWithAttributes(IPredictionService predictions, string patientId, double[] features)
    {
        // README:serve:begin
        // Pass the raw attributes: the loop anonymises them exactly as it anonymised the training cases.
        Prediction prediction = predictions.Predict("no-show", patientId, new CaseInput { Features = [.. features] },
            new Dictionary<string, string> { ["clinic"] = "north", ["note"] = "asked to move the visit" });
        // README:serve:end
        return prediction;
    }

    /// <summary>Anything with a service collection, like <c>HostApplicationBuilder</c>.</summary>
    internal sealed record HostApplicationBuilderLike(IServiceCollection Services);
}
