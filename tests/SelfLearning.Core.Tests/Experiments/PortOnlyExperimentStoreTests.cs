using SelfLearning.Experiments;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Experiments;

/// <summary>The full experiment store contract, run on <see cref="ExperimentStore"/> over a storage that knows only the port.</summary>
public sealed class PortOnlyExperimentStoreTests : ExperimentStoreContractTests
{
    private readonly DictionaryExperimentStorage _storage = new();

    protected override IExperimentStore CreateStore(TimeProvider timeProvider, ExperimentStoreOptions options) => new ExperimentStore(_storage, timeProvider, options);

    [Fact]
    public void Constructor_NullStorage_ThrowsNamingIt()
    {
        var act = () => new ExperimentStore(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("storage");
    }

    [Fact]
    public async Task RecordExposureAsync_AnyStorage_ReceivesOnlyTheUnitsKeyedFingerprint()
    {
        var key = new Pseudonymizer(Enumerable.Repeat((byte)3, 32).ToArray());
        var store = new ExperimentStore(_storage, Clock, Options(), key);
        Experiment experiment = ExperimentFixtures.Running();
        await store.SaveExperimentAsync(experiment);

        await store.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion);

        _storage.HeldUnits.Should().Equal(key.Pseudonymize("patient-MRN-0042", "experiment-unit:" + experiment.Key));
    }

    [Fact]
    public async Task RecordExposureAsync_TwoStoresWithoutAKey_FingerprintWithTheStoragesOneKey()
    {
        var first = new ExperimentStore(_storage, Clock, Options());
        var second = new ExperimentStore(_storage, Clock, Options());
        Experiment experiment = ExperimentFixtures.Running();
        await first.SaveExperimentAsync(experiment);

        (await first.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion)).Should().BeTrue();
        (await second.RecordExposureAsync(experiment.Key, "patient-MRN-0042", ExperimentArm.Champion)).Should().BeFalse("both stores use the key the storage kept first");

        _storage.HeldUnits.Should().ContainSingle().Which.Should().MatchRegex("^[0-9a-f]{32}$").And.NotContain("MRN");
    }
}
