using Wharf.Engine.Distribution;
using Xunit;

namespace Wharf.Engine.Tests.Distribution;

public sealed class RegistryClientRulesTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.9.8.7", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.1.2.3:5000", true)]
    [InlineData("10.9.2.3:5000", false)]
    [InlineData("myreg:443", true)]
    public void IsInsecure_LoopbackAndConfiguredEntries_AreInsecure(string host, bool expected) =>
        Assert.Equal(expected, RegistryClient.IsInsecure(host, ["10.1.0.0/16", "myreg:443"]));

    [Fact]
    public void AuthChallenge_Bearer_ParsesQuotedParametersWithCommas()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://auth.example/token\",service=\"registry\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"");
        Assert.NotNull(challenge);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal("https://auth.example/token", challenge["realm"]);
        Assert.Equal("registry", challenge["service"]);
        Assert.Equal("repository:a/b:pull,push", challenge["scope"]);
        Assert.Equal("insufficient_scope", challenge["error"]);
        Assert.Equal("Basic", AuthChallenge.Parse("Basic realm=\"x\"")!.Scheme);
        Assert.Null(AuthChallenge.Parse(""));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("", "docker.io")]
    public void RegistryDomain_ServerAddresses_Normalise(string address, string expected) =>
        Assert.Equal(expected, ImageDistributionService.RegistryDomain(address));

    [Fact]
    public void RepoDigestStore_AddReplacesSameRepositoryAndPersists()
    {
        var root = Path.Combine(Path.GetTempPath(), "wharf-repodigests-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var id = Wharf.Core.Digest.Compute("image"u8);
            var store = new RepoDigestStore(root);
            store.Add(id, "reg:5000/app@" + Wharf.Core.Digest.Compute("m1"u8));
            store.Add(id, "reg:5000/app@" + Wharf.Core.Digest.Compute("m2"u8));
            store.Add(id, "reg:5000/other@" + Wharf.Core.Digest.Compute("m1"u8));
            var reloaded = new RepoDigestStore(root);
            Assert.Equal(["reg:5000/app@" + Wharf.Core.Digest.Compute("m2"u8), "reg:5000/other@" + Wharf.Core.Digest.Compute("m1"u8)], reloaded.Get(id));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
