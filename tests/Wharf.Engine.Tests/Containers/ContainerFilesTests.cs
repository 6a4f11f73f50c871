using Wharf.Core.Errors;
using Wharf.Engine.Containers.Files;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class ContainerFilesTests
{
    private const string DefaultHosts =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" +
        "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    [Fact]
    public void Hostname_AppendsNewline()
    {
        Assert.Equal("abc123\n", ContainerFiles.Hostname("abc123"));
    }

    [Fact]
    public void Hosts_NoExtrasNoAddress_IsDockersDefault()
    {
        Assert.Equal(DefaultHosts, ContainerFiles.Hosts("abc", "", [], null));
    }

    [Fact]
    public void Hosts_ExtrasAndAddress_AppendedInOrder()
    {
        var hosts = ContainerFiles.Hosts("abc", "", ["db:10.0.0.5", "v6=[::1]", "six:fd00::2", "gw:host-gateway"], "172.17.0.2", "172.17.0.1");

        Assert.Equal(
            DefaultHosts + "10.0.0.5\tdb\n::1\tv6\nfd00::2\tsix\n172.17.0.1\tgw\n172.17.0.2\tabc\n",
            hosts);
    }

    [Fact]
    public void Hosts_Domainname_AddsFullyQualifiedName()
    {
        var hosts = ContainerFiles.Hosts("web", "example.com", [], "10.1.1.1");
        Assert.EndsWith("10.1.1.1\tweb.example.com web\n", hosts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nocolon")]
    [InlineData("db:notanip")]
    [InlineData(":1.2.3.4")]
    public void ValidateExtraHost_Bad_ThrowsInvalid(string entry)
    {
        var e = Assert.Throws<EngineException>(() => ContainerFiles.ValidateExtraHost(entry));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void ResolvConf_LoopbackNameservers_Removed()
    {
        const string host = "# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.1\nnameserver ::1\nsearch corp.example\noptions edns0\n";

        var text = ContainerFiles.ResolvConf(host, [], [], []);

        Assert.Equal("# generated\nsearch corp.example\nnameserver 10.0.0.1\noptions edns0\n", text);
    }

    [Fact]
    public void ResolvConf_OnlyLoopback_LeavesNoNameserver()
    {
        var text = ContainerFiles.ResolvConf("nameserver 127.0.0.1\n", [], [], []);
        Assert.DoesNotContain("nameserver", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvConf_HostNetwork_KeepsLoopback()
    {
        var text = ContainerFiles.ResolvConf("nameserver 127.0.0.53\n", [], [], [], hostNetwork: true);
        Assert.Equal("nameserver 127.0.0.53\n", text);
    }

    [Fact]
    public void ResolvConf_Overrides_ReplaceEachPart()
    {
        const string host = "nameserver 10.0.0.1\nsearch a.example\noptions ndots:2\n";

        var text = ContainerFiles.ResolvConf(host, ["8.8.8.8", "1.1.1.1"], ["b.example"], ["ndots:5", "timeout:1"]);

        Assert.Equal("search b.example\nnameserver 8.8.8.8\nnameserver 1.1.1.1\noptions ndots:5 timeout:1\n", text);
    }

    [Fact]
    public void ResolvConf_DotSearch_RemovesSearchDomains()
    {
        var text = ContainerFiles.ResolvConf("nameserver 10.0.0.1\nsearch a.example\n", [], ["."], []);
        Assert.Equal("nameserver 10.0.0.1\n", text);
    }
}
