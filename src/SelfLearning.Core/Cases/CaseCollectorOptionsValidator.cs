using Microsoft.Extensions.Options;

namespace SelfLearning.Cases;

/// <summary>Validates the <c>[Range]</c> limits of <see cref="CaseCollectorOptions"/> (source-generated), for <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
internal sealed partial class CaseCollectorOptionsValidator : IValidateOptions<CaseCollectorOptions>;
