using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>The serving state of every configured model, shared by the loop (writer) and the prediction service (readers).</summary>
internal sealed class ServingStates
{
    private readonly FrozenDictionary<string, ModelServingState> _states;

    public ServingStates(IOptions<SelfLearningOptions> options, IOptionsMonitor<SelfLearningModelOptions> modelOptions, ModelTypes types)
    {
        _states = options.Value.Models.ToFrozenDictionary(
            name => name,
            name =>
            {
                SelfLearningModelOptions model = modelOptions.Get(name);
                TaskKind task = types.TryGet(model.TrainerType, out var type) ? type.TaskKind : TaskKind.ScoreCalibration;
                return new ModelServingState(name, task, model.ScoreSource);
            },
            StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _states.Keys;

    public ModelServingState Get(string modelName) =>
        _states.TryGetValue(modelName, out var state)
            ? state
            : throw new KeyNotFoundException($"No self-learning model is named '{modelName}'; add it with AddModel(\"{modelName}\", ...).");
}
