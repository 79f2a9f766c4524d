using System.Globalization;
using Microsoft.Extensions.Options;

namespace SelfLearning.Monitoring;

/// <summary>Validates <see cref="MonitoringOptions"/>; every message names the setting and its value.</summary>
internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    private const int MaximumBins = 1000;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        Check(failures, options.WindowSize is >= MonitoringConstants.MinimumWindowSize and <= MonitoringConstants.MaximumWindowSize, nameof(options.WindowSize), options.WindowSize, $"must be in [{MonitoringConstants.MinimumWindowSize}, {MonitoringConstants.MaximumWindowSize}]");
        Check(failures, options.WindowDuration is null || options.WindowDuration > TimeSpan.Zero, nameof(options.WindowDuration), options.WindowDuration, "must be positive when set");
        Check(failures, options.CalibrationBins is >= 1 and <= MaximumBins, nameof(options.CalibrationBins), options.CalibrationBins, $"must be in [1, {MaximumBins}]");
        Check(failures, options.PsiBins is >= 2 and <= MaximumBins, nameof(options.PsiBins), options.PsiBins, $"must be in [2, {MaximumBins}]");
        Check(failures, options.PsiModerateThreshold > 0.0 && double.IsFinite(options.PsiModerateThreshold), nameof(options.PsiModerateThreshold), options.PsiModerateThreshold, "must be a finite positive number");
        Check(failures, options.PsiMajorThreshold > options.PsiModerateThreshold && double.IsFinite(options.PsiMajorThreshold), nameof(options.PsiMajorThreshold), options.PsiMajorThreshold, $"must be finite and above PsiModerateThreshold ({Format(options.PsiModerateThreshold)})");
        Check(failures, options.KsSignificanceLevel is > 0.0 and < 1.0, nameof(options.KsSignificanceLevel), options.KsSignificanceLevel, "must be in (0, 1)");
        Check(failures, options.DriftMinimumSample >= 2 && options.DriftMinimumSample <= options.WindowSize, nameof(options.DriftMinimumSample), options.DriftMinimumSample, $"must be in [2, WindowSize ({options.WindowSize})]");
        Check(failures, options.RollbackMargin is >= 0.0 and < 1.0, nameof(options.RollbackMargin), options.RollbackMargin, "must be in [0, 1)");
        Check(failures, options.RollbackSignificanceLevel is > 0.0 and <= 0.5, nameof(options.RollbackSignificanceLevel), options.RollbackSignificanceLevel, "must be in (0, 0.5]");
        Check(failures, options.RollbackMinimumLiveSample > 0, nameof(options.RollbackMinimumLiveSample), options.RollbackMinimumLiveSample, "must be positive");
        Check(failures, options.EstimateConfidenceLevel is > 0.0 and < 1.0, nameof(options.EstimateConfidenceLevel), options.EstimateConfidenceLevel, "must be in (0, 1)");
        Check(failures, options.MinimumNewCases > 0, nameof(options.MinimumNewCases), options.MinimumNewCases, "must be positive");
        Check(failures, options.MaximumChampionAge > TimeSpan.Zero, nameof(options.MaximumChampionAge), options.MaximumChampionAge, "must be positive");
        Check(failures, options.PageHinkleyDelta >= 0.0 && double.IsFinite(options.PageHinkleyDelta), nameof(options.PageHinkleyDelta), options.PageHinkleyDelta, "must be a finite number, zero or more");
        Check(failures, options.PageHinkleyThreshold > 0.0 && double.IsFinite(options.PageHinkleyThreshold), nameof(options.PageHinkleyThreshold), options.PageHinkleyThreshold, "must be a finite positive number");
        Check(failures, options.PageHinkleyAlpha is > 0.0 and <= 1.0, nameof(options.PageHinkleyAlpha), options.PageHinkleyAlpha, "must be in (0, 1]");
        Check(failures, options.PageHinkleyMinimumInstances > 0, nameof(options.PageHinkleyMinimumInstances), options.PageHinkleyMinimumInstances, "must be positive");
        Check(failures, options.AdwinDelta is > 0.0 and < 1.0, nameof(options.AdwinDelta), options.AdwinDelta, "must be in (0, 1)");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The options' value after validation, for components built outside the options pipeline.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
    public static MonitoringOptions Validated(IOptions<MonitoringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MonitoringOptions value = options.Value;
        ValidateOptionsResult result = new MonitoringOptionsValidator().Validate(Options.DefaultName, value);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MonitoringOptions), result.Failures);
        }

        return value;
    }

    private static void Check<T>(List<string> failures, bool valid, string setting, T value, string requirement)
    {
        if (!valid)
        {
            string shown = value is IFormattable formattable
                ? formattable.ToString(null, CultureInfo.InvariantCulture)
                : value?.ToString() ?? "null";
            failures.Add($"{nameof(MonitoringOptions)}.{setting} {requirement}, but is {shown}.");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
