using Microsoft.Extensions.Options;

namespace SelfLearning.Experiments;

/// <summary>Validates the <c>[Range]</c> limits of <see cref="ExperimentDecisionOptions"/> (source-generated), for <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
internal sealed partial class ExperimentDecisionOptionsValidator : IValidateOptions<ExperimentDecisionOptions>;
