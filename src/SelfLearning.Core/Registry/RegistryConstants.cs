namespace SelfLearning.Registry;

/// <summary>Defaults of the registry area.</summary>
internal static class RegistryConstants
{
    /// <summary>How often an active-model provider polls a shared store by default.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>How many versions or transitions <see cref="ModelRegistry"/> asks a store for in one read.</summary>
    public const int StorePageSize = 1000;
}
