using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class SafeHarborGeneralizerTests
{
    [Theory]
    [InlineData("1962-03-15", "1962")]
    [InlineData("03/15/1962", "1962")]
    [InlineData("15.03.1962", "1962")]
    [InlineData("March 15, 1962", "1962")]
    [InlineData("1962-03-15T10:00:00Z", "1962")]
    [InlineData("tomorrow", null)]
    [InlineData("", null)]
    public void GeneralizeDate_Text_YearOrNull(string value, string? expected) =>
        SafeHarborGeneralizer.GeneralizeDate(value).Should().Be(expected);

    [Theory]
    [InlineData("89", "89")]
    [InlineData("90", "90+")]
    [InlineData("104.5", "90+")]
    [InlineData("0", "0")]
    [InlineData("-3", null)]
    [InlineData("old", null)]
    public void GeneralizeAge_Text_KeptUpTo89(string value, string? expected) =>
        SafeHarborGeneralizer.GeneralizeAge(value).Should().Be(expected);

    [Theory]
    [InlineData("94105", "941")]
    [InlineData("94105-1234", "941")]
    [InlineData("03601", "000")]
    [InlineData("89301", "000")]
    [InlineData("9410", null)]
    [InlineData("ABCDE", null)]
    public void GeneralizeZipCode_Text_ThreeDigitsOrRestricted(string value, string? expected) =>
        SafeHarborGeneralizer.GeneralizeZipCode(value).Should().Be(expected);

    [Fact]
    public void GeneralizeAge_Negative_Throws()
    {
        var act = () => SafeHarborGeneralizer.GeneralizeAge(-1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("age");
    }
}
