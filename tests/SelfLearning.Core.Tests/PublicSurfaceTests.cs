using System.Reflection;
using SelfLearning.Calibration;

namespace SelfLearning.Tests;

/// <summary>
/// The core package's public surface is a decision (issue 17): what a host calls, implements or configures. PublicAPI.Shipped.txt
/// records each symbol; this bounds how many types there are, read from the built assembly.
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>
    /// 170 after the visibility sweep (from 240), plus six types a host implements or reads that came after it: the
    /// experiment storage port (<c>IExperimentStorage</c> with <c>ExperimentStore</c>, <c>ExperimentOutcome</c>,
    /// <c>ExperimentWriteResult</c>, <c>StoredPrediction</c>) and <c>ModelVersionsPage</c>. Raise it only with a reason.
    /// </summary>
    private const int MaximumPublicTypes = 176;

    [Fact]
    public void ExportedTypes_CoreAssembly_AtMostTheDecidedNumber()
    {
        Assembly core = typeof(PlattCalibrator).Assembly;

        Type[] exported = core.GetExportedTypes();

        exported.Should().NotBeEmpty("the reference surface (calibrators, metrics, the registry contract) is public");
        exported.Length.Should().BeLessThanOrEqualTo(
            MaximumPublicTypes,
            "a helper, a store rule or a loop stage a host does not call stays internal; the public ones are: {0}",
            string.Join(", ", exported.Select(t => t.FullName).Order(StringComparer.Ordinal)));
    }
}
