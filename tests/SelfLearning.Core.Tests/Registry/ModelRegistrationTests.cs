using SelfLearning.Registry;

namespace SelfLearning.Tests.Registry;

public sealed class ModelRegistrationTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Metrics_NotFinite_AreRejectedNamingTheMetric(double value)
    {
        var act = () => new ModelRegistration { Name = "m", CreatedBy = "a", Metrics = new Dictionary<string, double> { ["auc"] = value } };

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Metrics").WithMessage("*'auc'*");
    }

    [Fact]
    public void Tags_ValueWithNul_IsRejected()
    {
        var act = () => new ModelRegistration { Name = "m", CreatedBy = "a", Tags = new Dictionary<string, string> { ["k"] = "a\0b" } };

        act.Should().Throw<ArgumentException>().WithParameterName("Tags").WithMessage("*index 1*");
    }

    [Fact]
    public void Lineage_NonPositiveParent_IsRejected()
    {
        var act = () => new ModelRegistration { Name = "m", CreatedBy = "a", Lineage = new ModelLineage { ParentVersion = 0 } };

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Lineage");
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(double.PositiveInfinity, 0)]
    public void Lineage_NonFiniteReferenceScore_IsRejectedNamingItsIndex(double bad, int index)
    {
        double[] scores = [0.5, 0.6];
        scores[index] = bad;

        var act = () => new ModelRegistration { Name = "m", CreatedBy = "a", Lineage = new ModelLineage { ReferenceScores = scores } };

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Lineage").WithMessage($"*ReferenceScores[{index}]*finite*");
    }

    [Fact]
    public void Lineage_TooManyReferenceScoresOrNegativeHoldout_IsRejected()
    {
        var tooMany = () => new ModelRegistration { Name = "m", CreatedBy = "a", Lineage = new ModelLineage { ReferenceScores = new double[ModelLineage.MaxReferenceScores + 1] } };
        var negative = () => new ModelRegistration { Name = "m", CreatedBy = "a", Lineage = new ModelLineage { HoldoutSize = -1 } };

        tooMany.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Lineage").WithMessage("*1025 values*at most 1024*");
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Lineage").WithMessage("*HoldoutSize*-1*");
    }

    [Fact]
    public void Lineage_ReferenceScores_AreCopiedAndComparedByValue()
    {
        double[] scores = [0.25, 0.75];
        var lineage = new ModelLineage { ReferenceScores = scores };
        scores[0] = 0.9;

        lineage.ReferenceScores.Should().Equal(0.25, 0.75);
        lineage.Should().Be(new ModelLineage { ReferenceScores = [0.25, 0.75] });
        lineage.Should().NotBe(new ModelLineage { ReferenceScores = [0.25, 0.76] });
        lineage.Should().NotBe(ModelLineage.None);
    }

    [Fact]
    public void EvaluationReport_NotJson_IsRejected()
    {
        var act = () => new ModelRegistration { Name = "m", CreatedBy = "a", EvaluationReport = "passed" };

        act.Should().Throw<ArgumentException>().WithParameterName("EvaluationReport");
    }

    [Fact]
    public void Metrics_CallerMutatesSource_RegistrationUnaffected()
    {
        var metrics = new Dictionary<string, double> { ["acc"] = 0.9 };
        var registration = new ModelRegistration { Name = "m", CreatedBy = "a", Metrics = metrics };

        metrics["acc"] = 0.1;

        registration.Metrics["acc"].Should().Be(0.9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void RegistryChange_BlankActor_IsRejected(string actor)
    {
        var act = () => new RegistryChange(actor);

        act.Should().Throw<ArgumentException>().WithParameterName("Actor");
    }

    [Fact]
    public void RegistryChange_NegativeExpectedRevision_IsRejected()
    {
        var act = () => new RegistryChange("ops") { ExpectedRevision = -1 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ExpectedRevision");
    }
}
