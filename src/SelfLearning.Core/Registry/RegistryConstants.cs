namespace SelfLearning.Registry;

/// <summary>Defaults of the registry area.</summary>
internal static class RegistryConstants
{
    /// <summary>How often an active-model provider polls a shared store by default.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);
}
