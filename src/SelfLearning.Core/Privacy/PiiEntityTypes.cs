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

    /// <summary>A US social security number that could have been issued.</summary>
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

    /// <summary>A name the host asked to find.</summary>
    public const string Person = "PERSON";

    /// <summary>Gets every built-in entity type, in a fixed order.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        EmailAddress, PhoneNumber, UsSsn, CreditCard, IpAddress, DateTime, Url, IbanCode, MacAddress,
    ];
}
