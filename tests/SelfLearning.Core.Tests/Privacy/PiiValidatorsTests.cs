using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class PiiValidatorsTests
{
    [Fact]
    public void PassesNhsCheck_RandomNinePrefixes_ExactlyTheMod11CheckDigitPasses()
    {
        // The NHS scheme: weights 10..2 over nine digits, check = 11 - sum mod 11 (11 becomes 0, 10 is never issued).
        var random = new Random(20261205);
        for (int n = 0; n < 2000; n++)
        {
            string prefix = random.Next(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            int sum = prefix.Select((c, i) => (c - '0') * (10 - i)).Sum();
            int check = 11 - (sum % 11);
            check = check == 11 ? 0 : check;
            var passing = Enumerable.Range(0, 10).Where(d => PiiValidators.PassesNhsCheck(prefix + (char)('0' + d))).ToArray();

            if (check == 10 || prefix.All(c => c == (char)('0' + check)))
            {
                passing.Should().BeEmpty(prefix);
            }
            else
            {
                passing.Should().Equal([check], prefix);
            }
        }
    }

    [Theory]
    [InlineData("401-023-2137", true)]
    [InlineData("401 023 2137", true)]
    [InlineData("4010232138", false)]
    [InlineData("0000000000", false)]
    [InlineData("401023213", false)]
    [InlineData("40102321370", false)]
    public void PassesNhsCheck_Candidate_AsExpected(string candidate, bool expected) =>
        PiiValidators.PassesNhsCheck(candidate).Should().Be(expected);
}
