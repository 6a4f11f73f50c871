using Wharf.Core.Errors;
using Wharf.Engine.Distribution;
using Xunit;

namespace Wharf.Engine.Tests.Distribution;

public sealed class RegistryAllowListTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.corp:5000", true)]
    [InlineData("registry.corp:5001", false)]
    [InlineData("docker.io", false)]
    [InlineData("127.0.0.2:5000", false)]
    public void Allows_HostEntriesMatchAnyPortAndHostPortEntriesOnlyTheirs(string domain, bool expected) =>
        Assert.Equal(expected, RegistryAllowList.Allows(["127.0.0.1", "[::1]", "registry.corp:5000"], domain));

    [Fact]
    public void Allows_WithoutTheKey_AllowsEverything() => Assert.True(RegistryAllowList.Allows(null, "docker.io"));

    [Fact]
    public void RegistryClient_UnlistedRegistry_IsRefusedBeforeAnyContact()
    {
        var options = new DistributionOptions { AllowedRegistries = ["127.0.0.1"] };
        var error = Assert.Throws<EngineException>(() => new RegistryClient("docker.io", null, options));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("allowed-registries", error.Message, StringComparison.Ordinal);
        using var allowed = new RegistryClient("127.0.0.1:5000", null, options);
        using var mirror = new RegistryClient("docker.io", null, options, new Uri("http://127.0.0.1:5000"));
    }
}
