using System.Collections.Immutable;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class CaseAnonymizerTests
{
    private static readonly ImmutableSortedDictionary<string, string> Raw = ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal,
    [
        new("patient", "patient-7700"),
        new("admitted", "2021-03-15"),
        new("age", "93"),
        new("zip", "94110"),
        new("name", "Jane Doe"),
        new("note", "call jane.doe@example.com about the fever"),
        new("clinic", "north"),
    ]);

    [Fact]
    public void AnonymizeForServing_RawAttributes_GivesExactlyTheFormTheDatasetsHold()
    {
        var anonymizer = CaseTestData.Anonymizer(o =>
        {
            o.IdentifyingAttributes = ["patient"];
            o.DateAttributes = ["admitted"];
            o.AgeAttributes = ["age"];
            o.ZipCodeAttributes = ["zip"];
            o.DroppedAttributes = ["name"];
        });
        var collected = anonymizer.Anonymize(CaseTestData.Case("c-1") with { Attributes = Raw }, 1.0, new DatasetSplitter(0.6, 0.2, 0.2)).Attributes;
        string[] names = ["patient", "admitted", "age", "zip", "name", "note", "clinic", "absent"];

        var served = anonymizer.AnonymizeForServing(names, Raw);

        served.Should().BeEquivalentTo(collected, "the model must see at serving what it was trained on");
        served.Should().NotContainKey("name", "a dropped attribute is gone, as in the datasets");
        served.Should().NotContainKey("absent");
        served["age"].Should().Be("90+");
        served["zip"].Should().Be("941");
        served["admitted"].Should().Be("2021");
        served["note"].Should().NotContain("jane.doe@example.com");
        served["patient"].Should().NotBe("patient-7700");
    }

    [Fact]
    public void AnonymizeForServing_OnlyTheNamedAttributes_AreAnonymised()
    {
        var served = CaseTestData.Anonymizer().AnonymizeForServing(["clinic"], Raw);

        served.Keys.Should().Equal("clinic");
        served["clinic"].Should().Be("north");
    }
}
