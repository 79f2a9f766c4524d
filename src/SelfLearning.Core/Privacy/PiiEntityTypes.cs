namespace SelfLearning.Privacy;

/// <summary>
/// The names of the entities <see cref="PiiDetector"/> finds, spelt as Microsoft Presidio spells them,
/// so spans can be compared with Presidio's and placeholders read the same.
/// </summary>
public static class PiiEntityTypes
{
    /// <summary>An e-mail address.</summary>
    public const string EmailAddress = "EMAIL_ADDRESS";

    /// <summary>A telephone or fax number (North American and international formats).</summary>
    public const string PhoneNumber = "PHONE_NUMBER";

    /// <summary>
    /// A US social security number that could have been issued, or any number in the SSN's shape
    /// next to an SSN cue word (such as "SSN" or "social security"), which is reported with a lower score.
    /// </summary>
    public const string UsSsn = "US_SSN";

    /// <summary>A payment card number that passes the Luhn check.</summary>
    public const string CreditCard = "CREDIT_CARD";

    /// <summary>An IPv4 or IPv6 address.</summary>
    public const string IpAddress = "IP_ADDRESS";

    /// <summary>A date or a time of day, written or numeric.</summary>
    public const string DateTime = "DATE_TIME";

    /// <summary>A web address, with or without a scheme.</summary>
    public const string Url = "URL";

    /// <summary>An international bank account number that passes the mod-97 check.</summary>
    public const string IbanCode = "IBAN_CODE";

    /// <summary>A hardware (MAC) address.</summary>
    public const string MacAddress = "MAC_ADDRESS";

    /// <summary>A Bitcoin address whose checksum holds (Base58Check for legacy and P2SH, bech32 or bech32m for SegWit).</summary>
    public const string Crypto = "CRYPTO";

    /// <summary>A US individual taxpayer identification number (9xx-[50-65, 70-88, 90-92, 94-99]-xxxx).</summary>
    public const string UsItin = "US_ITIN";

    /// <summary>A US driver's licence number (one or two letters and digits, or a run of 7 to 14 digits); weak without a cue word.</summary>
    public const string UsDriverLicense = "US_DRIVER_LICENSE";

    /// <summary>A US passport number (nine digits, or a letter and eight digits); weak without a cue word.</summary>
    public const string UsPassport = "US_PASSPORT";

    /// <summary>A UK National Health Service number whose mod-11 check digit holds.</summary>
    public const string UkNhs = "UK_NHS";

    /// <summary>A US bank account number (8 to 17 digits); weak without a cue word such as "account" or "bank".</summary>
    public const string UsBankNumber = "US_BANK_NUMBER";

    /// <summary>A name the host asked to find.</summary>
    public const string Person = "PERSON";

    /// <summary>Gets every built-in entity type, in a fixed order.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        EmailAddress, PhoneNumber, UsSsn, CreditCard, IpAddress, DateTime, Url, IbanCode, MacAddress,
        Crypto, UsItin, UsDriverLicense, UsPassport, UkNhs, UsBankNumber,
    ];
}
