using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Privacy;

namespace SelfLearning.Hosting;

/// <summary>The key the persistent experiment stores fingerprint unit ids with when a store package wires them (<c>UseSqlite</c>, <c>UsePostgreSql</c>).</summary>
internal static class StoreUnitKey
{
    /// <summary>The host's pseudonymisation key, when one is configured; otherwise <see langword="null"/> (the store keeps its own key).</summary>
    public static Pseudonymizer? From(IServiceProvider services) =>
        services.GetService<IOptions<CaseAnonymizerOptions>>()?.Value.PseudonymizationKey is { } key && !string.IsNullOrWhiteSpace(key)
            ? Pseudonymizer.FromBase64(key, "SelfLearning:Anonymizer:PseudonymizationKey")
            : null;
}
