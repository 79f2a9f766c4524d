using Microsoft.Extensions.Options;

namespace SelfLearning.Hosting;

/// <summary>
/// Runs, at host start, the checks an options type's component makes when it is built (rules attributes cannot say: a
/// sum of fractions, one duration shorter than another), so <c>ValidateOnStart()</c> reports them before the first cycle.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="path">The settings' name in messages: a configuration path (<c>SelfLearning:Cases</c>) or the type's name.</param>
/// <param name="check">The component's own check, which throws <see cref="ArgumentException"/> naming the setting.</param>
internal sealed class OptionsChecks<TOptions>(string path, Action<TOptions> check) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            check(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{path}: {e.Message}");
        }
    }
}
