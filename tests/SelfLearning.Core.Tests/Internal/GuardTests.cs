using SelfLearning.Internal;

namespace SelfLearning.Tests.Internal;

public sealed class GuardTests
{
    [Fact]
    public void AllFinite_NaNAtIndex_NamesArgumentAndIndex()
    {
        double[] scores = [0.1, double.NaN];
        var act = () => Guard.AllFinite(scores);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "scores" && e.Message.Contains("element 1") && e.Message.Contains("NaN"));
    }

    [Fact]
    public void InRange_NaN_IsRejected()
    {
        var act = () => Guard.InRange(double.NaN, 0.0, 1.0, "share");
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("share");
    }

    [Fact]
    public void BothClasses_OnlyPositives_Throws()
    {
        bool[] labels = [true, true];
        var act = () => Guard.BothClasses(labels);
        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*only positive*");
    }
}
