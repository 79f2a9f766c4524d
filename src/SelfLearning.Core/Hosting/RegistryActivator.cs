using System.Globalization;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Internal;
using SelfLearning.Registry;

namespace SelfLearning.Hosting;

/// <summary>Promotes a canary's winner through the registry's atomic activation (the previous champion is archived).</summary>
internal sealed class RegistryActivator(IModelRegistry registry, IOptions<SelfLearningOptions> options) : IChampionActivator
{
    public async ValueTask ActivateAsync(string modelName, string version, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(version);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            throw new ArgumentException($"The version '{version}' is not a registry version number.", nameof(version));
        }

        await registry.ActivateAsync(
            modelName, number, new RegistryChange(options.Value.Actor, $"Won canary as challenger version {version}."), cancellationToken).ConfigureAwait(false);
    }
}
