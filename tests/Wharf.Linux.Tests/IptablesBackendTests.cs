using Wharf.Linux.Firewall;

namespace Wharf.Linux.Tests;

public sealed class IptablesBackendTests
{
    [Theory]
    [InlineData("iptables v1.8.9 (nf_tables)\n", "nf_tables")]
    [InlineData("ip6tables v1.8.7 (nf_tables)", "nf_tables")]
    [InlineData("iptables v1.8.9 (legacy)\n", "legacy")]
    [InlineData("iptables v1.6.1\n", "legacy")]
    public void ParseName_VersionOutput_NamesTheBackend(string output, string expected) =>
        Assert.Equal(expected, IptablesBackend.ParseName(output));

    [Fact]
    public void Resolve_NfTablesWithNftTools_UsesTheNftPrograms()
    {
        var installed = new HashSet<string> { "iptables-nft-restore", "iptables-nft-save", "iptables-legacy-restore", "iptables-legacy-save", "iptables-restore", "iptables-save" };
        var backend = IptablesBackend.Resolve("iptables", "iptables v1.8.9 (nf_tables)", installed.Contains);
        Assert.Equal(new IptablesBackend("nf_tables", "iptables-nft-restore", "iptables-nft-save"), backend);
    }

    [Fact]
    public void Resolve_LegacyIp6tables_UsesTheLegacyProgramsOfThatTool()
    {
        var installed = new HashSet<string> { "ip6tables-nft-restore", "ip6tables-nft-save", "ip6tables-legacy-restore", "ip6tables-legacy-save" };
        var backend = IptablesBackend.Resolve("ip6tables", "ip6tables v1.8.9 (legacy)", installed.Contains);
        Assert.Equal(("legacy", "ip6tables-legacy-restore", "ip6tables-legacy-save"), (backend.Name, backend.Restore, backend.Save));
    }

    [Fact]
    public void Resolve_NoBackendSpecificPrograms_FallsBackToThePlainOnes()
    {
        // A pre-1.8 iptables, or a distribution shipping only one backend: only the -save of nft exists, not both.
        var backend = IptablesBackend.Resolve("iptables", "iptables v1.8.9 (nf_tables)", p => p == "iptables-nft-save");
        Assert.Equal(("iptables-restore", "iptables-save"), (backend.Restore, backend.Save));
        Assert.Equal("nf_tables (iptables-restore, iptables-save)", backend.ToString());
    }

    [Fact]
    public void OnPath_FindsInstalledProgram_NotAMissingOne()
    {
        Assert.True(IptablesBackend.OnPath("sh"));
        Assert.False(IptablesBackend.OnPath("no-such-program-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void IptablesFirewall_ThisHost_SavesThroughTheDetectedBackendsOwnProgram()
    {
        if (!IptablesBackend.OnPath("iptables")) return; // hosts without iptables: nothing to detect
        var firewall = new IptablesFirewall();
        var version = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("iptables", "-V") { RedirectStandardOutput = true })!;
        var expected = IptablesBackend.ParseName(version.StandardOutput.ReadToEnd());
        version.WaitForExit();
        Assert.Equal(expected, firewall.Backend);
        Assert.StartsWith(expected + " (iptables-", firewall.Description, StringComparison.Ordinal);
        Assert.Contains(firewall.ListRules("filter"), l => l.StartsWith(":FORWARD ", StringComparison.Ordinal));
    }
}
