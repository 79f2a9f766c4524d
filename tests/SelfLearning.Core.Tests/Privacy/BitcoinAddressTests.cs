using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

/// <summary>
/// The address checks against published vectors: BIP 173 and BIP 350 (bitcoin/bips, the mainnet
/// valid and invalid SegWit addresses with the BIPs' stated reasons), and Presidio's crypto cases.
/// </summary>
public sealed class BitcoinAddressTests
{
    [Theory]
    [InlineData("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ")] // P2PKH (Presidio)
    [InlineData("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")] // P2SH (Presidio)
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")] // P2PKH, the genesis block's
    [InlineData("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")] // BIP 350 valid, v0, upper case
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")] // the same, lower case
    [InlineData("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3")] // BIP 173 v0, 32-byte program
    [InlineData("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y")] // BIP 350 v1, 40 bytes
    [InlineData("BC1SW50QGDZ25J")] // BIP 350 v16, 2 bytes
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs")] // BIP 350 v2, 16 bytes
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")] // BIP 350 v1 taproot
    public void IsValid_PublishedAddress_True(string address) => BitcoinAddress.IsValid(address).Should().BeTrue();

    [Theory]
    [InlineData("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2")] // Presidio negative: one character too many
    [InlineData("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY")] // last character changed
    [InlineData("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz")] // last character changed
    [InlineData("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn")] // testnet version byte
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")] // BIP 350: bech32 instead of bech32m
    [InlineData("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL")] // BIP 350: bech32 instead of bech32m
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")] // BIP 350: bech32m instead of bech32
    [InlineData("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4")] // BIP 350: invalid character in checksum
    [InlineData("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R")] // BIP 350: invalid witness version
    [InlineData("bc1pw5dgrnzv")] // BIP 350: program of 1 byte
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav")] // BIP 350: program of 41 bytes
    [InlineData("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")] // BIP 350: 16-byte program for version 0
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du")] // BIP 173: zero padding of more than 4 bits
    [InlineData("bc1gmk9yu")] // BIP 173: empty data part
    [InlineData("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")] // mixed case
    [InlineData("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")] // testnet, not a mainnet address
    public void IsValid_BrokenOrForeignAddress_False(string address) => BitcoinAddress.IsValid(address).Should().BeFalse();

    [Fact]
    public void IsValid_EverySingleCharacterChange_False()
    {
        // A checksum must catch every one-character substitution of a valid address.
        foreach (string address in new[] { "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" })
        {
            for (int i = 3; i < address.Length; i++)
            {
                char replacement = address[i] == 'q' ? 'p' : 'q';
                string changed = string.Concat(address.AsSpan(0, i), [replacement], address.AsSpan(i + 1));
                BitcoinAddress.IsValid(changed).Should().BeFalse(changed);
            }
        }
    }
}
