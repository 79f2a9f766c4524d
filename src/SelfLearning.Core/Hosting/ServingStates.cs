using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace SelfLearning.Hosting;

/// <summary>The serving state of every configured model, shared by the loop (writer) and the prediction service (readers).</summary>
internal sealed class ServingStates
{
    private readonly FrozenDictionary<string, ModelServingState> _states;

    public ServingStates(IOptions<SelfLearningOptions> options, IOptionsMonitor<SelfLearningModelOptions> modelOptions)
    {
        _states = options.Value.Models.ToFrozenDictionary(
            name => name,
            name => new ModelServingState(name, modelOptions.Get(name).ScoreSource),
            StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _states.Keys;

    public ModelServingState Get(string modelName) =>
        _states.TryGetValue(modelName, out var state)
            ? state
            : throw new KeyNotFoundException($"No self-learning model is named '{modelName}'; add it with AddModel(\"{modelName}\", ...).");
}
