namespace Wharf.Linux.Firewall;

/// <summary>Which iptables backend the host's `iptables` drives (nf_tables or legacy), and the -restore/-save
/// programs of that same backend. Rules written through one backend are invisible to the other's save, so the
/// batches and the listings a diff is computed from must both go through the backend `iptables` itself uses
/// (what Docker's and the user's rules are in).</summary>
internal sealed record IptablesBackend(string Name, string Restore, string Save)
{
    /// <summary>"nf_tables" or "legacy" from `iptables -V` ("iptables v1.8.9 (nf_tables)"; before 1.8 there was no
    /// suffix and only legacy existed).</summary>
    public static string ParseName(string versionOutput)
    {
        ArgumentNullException.ThrowIfNull(versionOutput);
        return versionOutput.Contains("(nf_tables)", StringComparison.Ordinal) ? "nf_tables" : "legacy";
    }

    /// <summary>The backend's own programs (iptables-nft-restore, ip6tables-legacy-save, ...) when installed, else
    /// the plain ones (iptables-restore: then the alternatives link points to the only backend there is).</summary>
    /// <param name="tool">"iptables" or "ip6tables".</param>
    /// <param name="isInstalled">Whether a program of that name is on PATH.</param>
    public static IptablesBackend Resolve(string tool, string versionOutput, Func<string, bool> isInstalled)
    {
        ArgumentNullException.ThrowIfNull(isInstalled);
        var name = ParseName(versionOutput);
        var variant = tool + (name == "nf_tables" ? "-nft" : "-legacy");
        return isInstalled(variant + "-restore") && isInstalled(variant + "-save")
            ? new IptablesBackend(name, variant + "-restore", variant + "-save")
            : new IptablesBackend(name, tool + "-restore", tool + "-save");
    }

    /// <summary>Whether <paramref name="program"/> is an executable file in a directory of PATH.</summary>
    public static bool OnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/sbin"))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return true;
        }
        return false;
    }

    public override string ToString() => $"{Name} ({Restore}, {Save})";
}
