using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The steps by which the challenger's share of traffic grows (by default 5% → 25% → 50%), each
/// step taken only after a minimum sample per arm and a minimum time at the previous step.
/// </summary>
public sealed record CanaryRamp
{
    /// <summary>Creates a ramp.</summary>
    /// <param name="shares">Strictly increasing challenger shares in (0, 0.5].</param>
    /// <param name="minimumSamplesPerArm">Outcomes each arm needs at a step before the next step.</param>
    /// <param name="minimumStepDuration">Time that must pass at a step before the next step.</param>
    /// <exception cref="ArgumentException">The shares are empty, not increasing or outside (0, 0.5]; a minimum is negative.</exception>
    public CanaryRamp(IReadOnlyList<double> shares, long minimumSamplesPerArm, TimeSpan minimumStepDuration)
    {
        Guard.NotNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException($"'{nameof(shares)}' must hold at least one step.", nameof(shares));
        }

        for (int i = 0; i < shares.Count; i++)
        {
            double share = shares[i];
            if (!(share > 0.0 && share <= ExperimentsConstants.MaximumChallengerShare) || (i > 0 && !(share > shares[i - 1])))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(shares),
                    share,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"'{nameof(shares)}' must increase strictly within (0, {ExperimentsConstants.MaximumChallengerShare}], but element {i} is {share:R}."));
            }
        }

        Shares = [.. shares];
        MinimumSamplesPerArm = Guard.NonNegative(minimumSamplesPerArm);
        if (minimumStepDuration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumStepDuration), minimumStepDuration, $"'{nameof(minimumStepDuration)}' must not be negative.");
        }

        MinimumStepDuration = minimumStepDuration;
    }

    /// <summary>Gets the default ramp: 5% → 25% → 50%, 1,000 outcomes per arm and one day per step.</summary>
    public static CanaryRamp Default { get; } = new(
        ExperimentsConstants.DefaultRampShares,
        ExperimentsConstants.DefaultMinimumSamplesPerArm,
        ExperimentsConstants.DefaultMinimumStepDuration);

    /// <summary>Gets the challenger share at each step.</summary>
    public IReadOnlyList<double> Shares { get; }

    /// <summary>Gets the number of primary-metric outcomes each arm needs at a step before ramping up.</summary>
    public long MinimumSamplesPerArm { get; }

    /// <summary>Gets the time that must pass at a step before ramping up.</summary>
    public TimeSpan MinimumStepDuration { get; }
}
