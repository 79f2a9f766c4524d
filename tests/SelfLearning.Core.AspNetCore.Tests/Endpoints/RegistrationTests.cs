using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SelfLearning.AspNetCore.Tests.Endpoints;

public sealed class RegistrationTests
{
    [Fact]
    public void AddSelfLearningEndpoints_CalledTwice_RegistersOnceAndKeepsBothConfigurations()
    {
        var services = new ServiceCollection();

        services.AddSelfLearningEndpoints(o => o.ReadPolicy = "readers");
        services.AddSelfLearningEndpoints(o => o.OperatorPolicy = "operators");

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SelfLearningEndpointOptions>>().Value;
        options.ReadPolicy.Should().Be("readers");
        options.OperatorPolicy.Should().Be("operators");
        options.AllowAnonymousReads.Should().BeFalse();
        services.Count(d => d.ServiceType.Name == "RegistryAdapter").Should().Be(1);
    }

    [Fact]
    public void AddSelfLearningEndpoints_EmptyOperatorPolicy_FailsValidationNamingIt()
    {
        var services = new ServiceCollection();
        services.AddSelfLearningEndpoints(o => o.OperatorPolicy = " ");
        using var provider = services.BuildServiceProvider();

        Action read = () => _ = provider.GetRequiredService<IOptions<SelfLearningEndpointOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*OperatorPolicy*");
    }

    [Fact]
    public void MapSelfLearning_PrefixWithoutSlash_ThrowsNamingPrefix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSelfLearningEndpoints();
        using var app = builder.Build();

        Action map = () => app.MapSelfLearning("selflearning");

        map.Should().Throw<ArgumentException>().WithParameterName("prefix");
    }
}
