using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Internal;

namespace SelfLearning.ML;

/// <summary>Registers ML.NET model types with the self-learning loop.</summary>
public static class MlNetSelfLearningBuilderExtensions
{
    /// <summary>
    /// Adds an ML.NET model type: the trainer and the loader of its artifacts under the trainer's key, e.g.
    /// <c>builder.AddMlNetModelType(MlNetModelTypes.FastTreeBinary())</c>, or a host's own <see cref="MlNetTrainer"/>.
    /// A trainer that declares an attribute column the anonymizer drops (<c>CaseAnonymizerOptions.DroppedAttributes</c>)
    /// fails the options validation at start-up: no case would ever carry it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="trainer">The trainer.</param>
    /// <returns>The builder.</returns>
    public static ISelfLearningBuilder AddMlNetModelType(this ISelfLearningBuilder builder, MlNetTrainer trainer)
    {
        Guard.NotNull(builder);
        Guard.NotNull(trainer);
        if (trainer.Attributes.Count > 0)
        {
            builder.Services.AddSingleton<IValidateOptions<CaseAnonymizerOptions>>(new DroppedAttributeCheck(trainer));
        }

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

    /// <summary>Refuses, at start-up, an attribute column of <paramref name="trainer"/> that the anonymizer drops.</summary>
    private sealed class DroppedAttributeCheck(MlNetTrainer trainer) : IValidateOptions<CaseAnonymizerOptions>
    {
        public ValidateOptionsResult Validate(string? name, CaseAnonymizerOptions options)
        {
            var dropped = trainer.Attributes
                .Where(a => options.DroppedAttributes?.Contains(a.Name, StringComparer.Ordinal) == true)
                .Select(a => a.Name)
                .ToList();
            return dropped.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"ML.NET model type '{trainer.ModelType}' declares attribute column(s) {string.Join(", ", dropped.Select(d => $"'{d}'"))}, " +
                    "which the anonymizer drops (SelfLearning:Anonymizer:DroppedAttributes): no case would ever carry a value for the model to learn from. " +
                    "Remove the column from the model type or the attribute from the dropped ones.");
        }
    }
}
