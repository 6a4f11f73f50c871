using System.Diagnostics;
using Wharf.Core.Host;

namespace Wharf.Linux.Firewall;

/// <summary><see cref="IFirewall"/> through iptables-restore: one process per batch, whatever its size, and the
/// whole batch commits or none of it does. The backend (nf_tables or legacy) is whichever `iptables` drives, detected
/// once (see <see cref="IptablesBackend"/>); batches and listings both go through that backend's own programs.</summary>
public sealed class IptablesFirewall : IFirewall
{
    private readonly Lazy<IptablesBackend> _backend;
    private readonly string _tool;

    /// <param name="tool">"iptables", or "ip6tables" for the IPv6 rule set (same syntax, its own -restore/-save).</param>
    public IptablesFirewall(string tool = "iptables")
    {
        _tool = tool;
        _backend = new(() => IptablesBackend.Resolve(tool, Run(tool, ["-V"], null).Output, IptablesBackend.OnPath));
    }

    /// <summary>"nf_tables" or "legacy".</summary>
    public string Backend => _backend.Value.Name;

    /// <summary>For the daemon's start log: the backend and the programs used, e.g.
    /// "nf_tables (iptables-nft-restore, iptables-nft-save)".</summary>
    public string Description => _backend.Value.ToString();

    public void Apply(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var restore = _backend.Value.Restore;
        var (code, output) = Run(restore, ["-w", "--noflush"], script);
        if (code != 0) throw new IOException($"{restore}: {output.Trim()}");
    }

    public void EnableForwarding()
    {
        // IPv6 forwarding is left as the host has it: turning it on disables router advertisements on every interface.
        if (_tool != "iptables") return;
        const string path = "/proc/sys/net/ipv4/ip_forward";
        if (File.ReadAllText(path).Trim() != "1") File.WriteAllText(path, "1\n");
    }

    public bool ChainExists(string table, string chain) => ListRules(table).Any(l => l.StartsWith($":{chain} ", StringComparison.Ordinal));

    public IReadOnlyList<string> ListRules(string table)
    {
        var save = _backend.Value.Save;
        var (code, output) = Run(save, ["-t", table], null);
        if (code != 0) throw new IOException($"{save}: {output.Trim()}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("-A ", StringComparison.Ordinal) || l.StartsWith(':')).ToList();
    }

    private static (int Code, string Output) Run(string file, string[] args, string? input)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new IOException($"cannot run {file}");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
