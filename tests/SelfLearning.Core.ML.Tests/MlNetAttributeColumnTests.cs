using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.ML.Tests.Hosting;

namespace SelfLearning.ML.Tests;

public sealed class MlNetAttributeColumnTests
{
    [Fact]
    public void Constructor_UnknownKind_ThrowsNamingTheKindAndTheColumn()
    {
        var act = () => new MlNetAttributeColumn("clinic", (MlNetAttributeKind)42);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kind").WithMessage("*'clinic'*42*Categorical, HashedCategorical, Text*");
    }

    [Theory]
    [InlineData("Features")]
    [InlineData("label")]
    [InlineData("Probability")]
    [InlineData("Score")]
    [InlineData("PredictedLabel")]
    public void Constructor_NameOfAModelColumn_ThrowsNamingIt(string name)
    {
        var act = () => MlNetAttributeColumn.Categorical(name);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(name)).WithMessage($"*'{name}'*named like a column the model already uses*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankName_Throws(string name)
    {
        var act = () => MlNetAttributeColumn.Text(name);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(name));
    }

    [Fact]
    public void WithAttributes_SameColumnTwice_ThrowsNamingIt()
    {
        var act = () => MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("clinic"));

        act.Should().Throw<ArgumentException>().WithParameterName("attributes").WithMessage("*'clinic' is declared twice*");
    }

    [Fact]
    public void WithAttributes_MoreThanTheRowHolds_ThrowsNamingTheCount()
    {
        var act = () => MlNetModelTypes.FastTreeBinary().WithAttributes(Enumerable.Range(0, 33).Select(i => MlNetAttributeColumn.Categorical("a" + i)));

        act.Should().Throw<ArgumentException>().WithParameterName("attributes").WithMessage("33 attribute columns*at most 32*");
    }

    [Fact]
    public void WithAttributes_KeepsTheKeyAndTaskAndDeclaresTheColumnsInOrder()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Text("note"), MlNetAttributeColumn.Categorical("clinic"));

        trainer.ModelType.Should().Be(MlNetModelTypes.FastTreeBinaryKey);
        trainer.Attributes.Select(a => (a.Name, a.Kind)).Should().Equal(("note", MlNetAttributeKind.Text), ("clinic", MlNetAttributeKind.Categorical));
    }

    [Fact]
    public async Task AddMlNetModelType_ColumnTheAnonymizerDrops_FailsAtStartNamingIt()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"), MlNetAttributeColumn.Text("name"));
        using var host = MlNetLoopHost.Build(trainer, new InMemoryCaseSource(), anonymizer: o => o.DroppedAttributes = ["name"]);

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage("*'mlnet-fasttree-binary'*'name'*drops*");
    }

    [Fact]
    public void AddMlNetModelType_ColumnsTheAnonymizerKeeps_Validate()
    {
        var trainer = MlNetModelTypes.FastTreeBinary().WithAttributes(MlNetAttributeColumn.Categorical("clinic"));
        using var host = MlNetLoopHost.Build(trainer, new InMemoryCaseSource(), anonymizer: o => o.DroppedAttributes = ["name"]);

        var act = () => host.Services.GetRequiredService<IOptions<CaseAnonymizerOptions>>().Value;

        act.Should().NotThrow();
    }
}
