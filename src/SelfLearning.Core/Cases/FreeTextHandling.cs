namespace SelfLearning.Cases;

/// <summary>What the anonymizer does with a case's free text.</summary>
public enum FreeTextHandling
{
    /// <summary>Keep the text with every detected entity replaced by a typed placeholder.</summary>
    Redact = 0,

    /// <summary>Drop the text entirely.</summary>
    Drop = 1,
}
