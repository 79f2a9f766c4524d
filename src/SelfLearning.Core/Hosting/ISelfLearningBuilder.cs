using Microsoft.Extensions.DependencyInjection;

namespace SelfLearning.Hosting;

/// <summary>
/// Configures the self-learning loop registered by <c>AddSelfLearning</c>: its models, trainers, case sources
/// and stores. Configuration methods are extension methods on this interface (see <see cref="SelfLearningBuilderExtensions"/>).
/// </summary>
public interface ISelfLearningBuilder
{
    /// <summary>Gets the service collection the loop is registered in.</summary>
    IServiceCollection Services { get; }
}
