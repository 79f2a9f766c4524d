using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Privacy;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// Validates the loop's options at start. Every message names the setting as a configuration path
/// (<c>SelfLearning:Models:triage:RampShares</c>) and says what is wrong with its value.
/// </summary>
/// <remarks>Whether a case source exists is asked of the container without resolving it, since sources read these options.</remarks>
internal sealed class SelfLearningOptionsValidator(IEnumerable<ITrainer> trainers, IEnumerable<IPredictorLoader> loaders, IServiceProviderIsService services)
    : IValidateOptions<SelfLearningOptions>, IValidateOptions<SelfLearningModelOptions>, IValidateOptions<CaseAnonymizerOptions>
{
    /// <summary>The configuration path of the pseudonymisation key in validation messages.</summary>
    public const string PseudonymizationKeyPath = $"{HostingConstants.Section}:Anonymizer:{nameof(CaseAnonymizerOptions.PseudonymizationKey)}";

    /// <summary>
    /// Refuses to start a loop that reads cases without a usable pseudonymisation key (missing, not Base64, or
    /// too short), so the host fails at start instead of at its first training cycle.
    /// </summary>
    public ValidateOptionsResult Validate(string? name, CaseAnonymizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!services.IsService(typeof(ICaseSource)))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            _ = Pseudonymizer.FromBase64(options.PseudonymizationKey, PseudonymizationKeyPath);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(
                $"{PseudonymizationKeyPath}: {e.Message} Set it with ConfigureAnonymizer(o => o.PseudonymizationKey = ...) before the loop collects cases.");
        }
    }

    public ValidateOptionsResult Validate(string? name, SelfLearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Annotations(options, HostingConstants.Section, failures);
        Wait(options.CycleInterval, $"{HostingConstants.Section}:{nameof(options.CycleInterval)}", failures);
        Wait(options.FailureRetryDelay, $"{HostingConstants.Section}:{nameof(options.FailureRetryDelay)}", failures);

        if (options.Models.Count > 0 && !services.IsService(typeof(Cases.ICaseSource)))
        {
            failures.Add($"{HostingConstants.Section}: no case source is registered; add one with AddCaseSource(...) so the models ({string.Join(", ", options.Models)}) have cases to learn from.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, SelfLearningModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = $"{HostingConstants.Section}:Models:{name}";
        var failures = new List<string>();
        Annotations(options, path, failures);
        Annotations(options.Gate, $"{path}:{nameof(options.Gate)}", failures);

        if (!string.IsNullOrWhiteSpace(options.TrainerType) && !trainers.Any(t => string.Equals(t.ModelType, options.TrainerType, StringComparison.Ordinal)))
        {
            string known = string.Join(", ", trainers.Select(t => $"'{t.ModelType}'").Order(StringComparer.Ordinal));
            failures.Add($"{path}:{nameof(options.TrainerType)} is '{options.TrainerType}', but no model type has that key (registered: {(known.Length == 0 ? "none" : known)}).");
        }
        else if (!string.IsNullOrWhiteSpace(options.TrainerType) && !loaders.Any(l => string.Equals(l.ModelType, options.TrainerType, StringComparison.Ordinal)))
        {
            failures.Add($"{path}:{nameof(options.TrainerType)} is '{options.TrainerType}', whose trainer has no predictor loader; register the model type with AddModelType<TTrainer, TLoader>() so its versions can be served.");
        }

        if (options.RampShares is { } shares)
        {
            if (shares.Count == 0)
            {
                failures.Add($"{path}:{nameof(options.RampShares)} is empty; it needs at least one challenger share.");
            }

            for (int i = 0; i < shares.Count; i++)
            {
                double share = shares[i];
                if (!(share > 0.0 && share <= 0.5))
                {
                    failures.Add(Format($"{path}:{nameof(options.RampShares)}:{i} is {share:R}; a challenger share must be in (0, 0.5]."));
                }
                else if (i > 0 && !(share > shares[i - 1]))
                {
                    failures.Add(Format($"{path}:{nameof(options.RampShares)}:{i} is {share:R}, which does not increase over step {i - 1} ({shares[i - 1]:R}); the ramp must increase strictly."));
                }
            }
        }

        if (options.AppendOutcomesAsCases && !services.IsService(typeof(IFeedbackCaseWriter)))
        {
            failures.Add(
                $"{path}:{nameof(options.AppendOutcomesAsCases)} is true, but no writable case store is registered; add a case source that implements {nameof(IFeedbackCaseWriter)} (InMemoryCaseSource, SqliteCaseSource) with AddCaseSource(...), or a writer with AddFeedbackCaseWriter(...).");
        }

        Duration(options.MinimumStepDuration, $"{path}:{nameof(options.MinimumStepDuration)}", allowZero: true, failures);
        Duration(options.MinimumInterval, $"{path}:{nameof(options.MinimumInterval)}", allowZero: true, failures);
        Duration(options.DataStaleAfter, $"{path}:{nameof(options.DataStaleAfter)}", allowZero: false, failures);
        Duration(options.MaximumExperimentDuration, $"{path}:{nameof(options.MaximumExperimentDuration)}", allowZero: false, failures);

        if (options.NewCasesThreshold < options.Gate.MinimumHoldoutSize)
        {
            failures.Add(Format(
                $"{path}:{nameof(options.NewCasesThreshold)} is {options.NewCasesThreshold}, fewer than {path}:{nameof(options.Gate)}:{nameof(options.Gate.MinimumHoldoutSize)} ({options.Gate.MinimumHoldoutSize}); no retraining could ever pass the gate."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A span the background service waits for: positive and no longer than a timer can wait (≈ 49.7 days).</summary>
    private static void Wait(TimeSpan value, string path, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add(Format($"{path} must be positive, but is {value}."));
        }
        else if (value > SelfLearningOptions.MaxWait)
        {
            failures.Add(Format(
                $"{path} is {value}, longer than the {SelfLearningOptions.MaxWait} ({SelfLearningOptions.MaxWait.TotalDays:F1} days) a timer can wait; use a shorter interval, or a TrainingSchedule for rare retraining."));
        }
    }

    /// <summary>A span the loop adds to dates: not negative (or zero, where that means nothing), and at most 100 years so the sum cannot overflow.</summary>
    private static void Duration(TimeSpan value, string path, bool allowZero, List<string> failures)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            failures.Add(Format($"{path} must be {(allowZero ? "zero or positive" : "positive")}, but is {value}."));
        }
        else if (value > HostingConstants.MaxDuration)
        {
            failures.Add(Format($"{path} is {value}, longer than the {HostingConstants.MaxDuration.TotalDays:F0} days allowed."));
        }
    }

    private static void Annotations(object options, string path, List<string> failures)
    {
        // An undefined enum value (ScoreSource = (CalibrationScoreSource)9) would otherwise pass and start the host.
        failures.AddRange(Internal.Guard.UndefinedEnumOptions(options, path));
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            foreach (string member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                object? value = options.GetType().GetProperty(member)?.GetValue(options);
                failures.Add(Format($"{path}:{member} is '{Convert.ToString(value, CultureInfo.InvariantCulture)}': {result.ErrorMessage}"));
            }
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
