using System.Globalization;
using SelfLearning.Calibration;
using SelfLearning.Experiments;

namespace SelfLearning.Hosting;

/// <summary>What one model serves at one instant: replaced as a whole, read with one volatile read.</summary>
/// <param name="ChampionVersion">The champion's version, or 0 before the first champion.</param>
/// <param name="Champion">The champion's calibrator, or <see langword="null"/> for the uncalibrated baseline.</param>
/// <param name="Experiment">The running canary, if any.</param>
/// <param name="ChallengerVersion">The challenger's version, or 0 without a canary.</param>
/// <param name="Challenger">The challenger's calibrator, if a canary runs.</param>
internal sealed record ServingSnapshot(int ChampionVersion, ICalibrator? Champion, Experiment? Experiment, int ChallengerVersion, ICalibrator? Challenger)
{
    /// <summary>Gets the champion's version as the text monitoring and experiments use, computed once.</summary>
    public string ChampionVersionText { get; } = ChampionVersion.ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the challenger's version as text, computed once.</summary>
    public string ChallengerVersionText { get; } = ChallengerVersion.ToString(CultureInfo.InvariantCulture);
}
