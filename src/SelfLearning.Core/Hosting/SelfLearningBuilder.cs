using Microsoft.Extensions.DependencyInjection;

namespace SelfLearning.Hosting;

/// <summary>The builder <c>AddSelfLearning</c> returns.</summary>
internal sealed class SelfLearningBuilder(IServiceCollection services) : ISelfLearningBuilder
{
    public IServiceCollection Services { get; } = services;
}
