using System.Diagnostics;
using Wharf.Core.Host;

namespace Wharf.Linux.Firewall;

/// <summary><see cref="IFirewall"/> through iptables-restore: one process per batch, whatever its size, and the
/// whole batch commits or none of it does. The backend (nf_tables or legacy) is whichever `iptables` is installed;
/// <see cref="Backend"/> says which.</summary>
public sealed class IptablesFirewall : IFirewall
{
    private readonly Lazy<string> _backend;
    private readonly string _tool;

    /// <param name="tool">"iptables", or "ip6tables" for the IPv6 rule set (same syntax, its own -restore/-save).</param>
    public IptablesFirewall(string tool = "iptables")
    {
        _tool = tool;
        _backend = new(() => Run(tool, ["-V"], null).Output.Contains("nf_tables", StringComparison.Ordinal) ? "nf_tables" : "legacy");
    }

    /// <summary>"nf_tables" or "legacy".</summary>
    public string Backend => _backend.Value;

    public void Apply(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var (code, output) = Run(_tool + "-restore", ["-w", "--noflush"], script);
        if (code != 0) throw new IOException($"{_tool}-restore: {output.Trim()}");
    }

    public void EnableForwarding()
    {
        // IPv6 forwarding is left as the host has it: turning it on disables router advertisements on every interface.
        if (_tool != "iptables") return;
        const string path = "/proc/sys/net/ipv4/ip_forward";
        if (File.ReadAllText(path).Trim() != "1") File.WriteAllText(path, "1\n");
    }

    public bool ChainExists(string table, string chain) => Run(_tool, ["-w", "-t", table, "-S", chain], null).Code == 0;

    public IReadOnlyList<string> ListRules(string table)
    {
        var (code, output) = Run(_tool + "-save", ["-t", table], null);
        if (code != 0) throw new IOException($"{_tool}-save: {output.Trim()}");
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
