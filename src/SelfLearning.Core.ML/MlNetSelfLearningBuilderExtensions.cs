using SelfLearning.Hosting;
using SelfLearning.Internal;

namespace SelfLearning.ML;

/// <summary>Registers ML.NET model types with the self-learning loop.</summary>
public static class MlNetSelfLearningBuilderExtensions
{
    /// <summary>
    /// Adds an ML.NET model type: the trainer and the loader of its artifacts under the trainer's key, e.g.
    /// <c>builder.AddMlNetModelType(MlNetModelTypes.FastTreeBinary())</c>, or a host's own <see cref="MlNetTrainer"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="trainer">The trainer.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddMlNetModelType(this ISelfLearningBuilder builder, MlNetTrainer trainer)
    {
        Guard.NotNull(builder);
        Guard.NotNull(trainer);
        return builder.AddModelType(trainer, trainer.CreateLoader());
    }

    /// <summary>Adds every ready ML.NET model type of <see cref="MlNetModelTypes"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddMlNetModelTypes(this ISelfLearningBuilder builder)
    {
        Guard.NotNull(builder);
        foreach (var trainer in MlNetModelTypes.All())
        {
            builder.AddMlNetModelType(trainer);
        }

        return builder;
    }
}
