using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

public sealed class TrainingTableTests
{
    private static readonly double[,] Features = { { 1.0, 2.0 }, { 3.0, 4.0 }, { 5.0, 6.0 } };

    [Fact]
    public void WithAttributes_OneMapPerRow_GivesEachRowItsMapAndKeepsTheColumns()
    {
        var table = TrainingTable.ForClassification(Features, ["a", "b", "a"]);
        IReadOnlyDictionary<string, string>[] maps =
        [
            new Dictionary<string, string> { ["clinic"] = "A" },
            TrainingTable.NoAttributes,
            new Dictionary<string, string> { ["clinic"] = "C", ["note"] = "fever" },
        ];

        var attributed = table.WithAttributes(maps);

        table.HasAttributes.Should().BeFalse();
        table.GetAttributes(0).Should().BeEmpty("a table without attributes reads every row's as empty");
        attributed.HasAttributes.Should().BeTrue();
        attributed.GetAttributes(2).Should().BeSameAs(maps[2], "the maps are kept by reference");
        attributed.GetFeatures(1).ToArray().Should().Equal(3.0, 4.0);
        attributed.Labels.Should().Equal("a", "b", "a");
    }

    [Fact]
    public void Select_TableWithAttributes_CarriesTheRowsAttributes()
    {
        var attributed = TrainingTable.ForClustering(Features).WithAttributes(
            [new Dictionary<string, string> { ["k"] = "0" }, new Dictionary<string, string> { ["k"] = "1" }, new Dictionary<string, string> { ["k"] = "2" }]);

        var selected = attributed.Select([2, 0]);

        selected.GetAttributes(0)["k"].Should().Be("2");
        selected.GetAttributes(1)["k"].Should().Be("0");
        selected.GetFeatures(0).ToArray().Should().Equal(5.0, 6.0);
    }

    [Fact]
    public void WithAttributes_WrongRowCount_ThrowsNamingTheCounts()
    {
        var act = () => TrainingTable.ForClustering(Features).WithAttributes([TrainingTable.NoAttributes]);

        act.Should().Throw<ArgumentException>().WithParameterName("attributes").WithMessage("*1 elements*3 rows*");
    }

    [Fact]
    public void WithAttributes_NullValue_ThrowsNamingTheRowAndKey()
    {
        var act = () => TrainingTable.ForClustering(Features).WithAttributes(
            [TrainingTable.NoAttributes, new Dictionary<string, string> { ["clinic"] = null! }, TrainingTable.NoAttributes]);

        act.Should().Throw<ArgumentException>().WithParameterName("attributes").WithMessage("*element 1*null value for 'clinic'*");
    }
}
