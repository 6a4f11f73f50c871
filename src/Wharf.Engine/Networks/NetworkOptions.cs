namespace Wharf.Engine.Networks;

/// <summary>Daemon-level networking settings.</summary>
public sealed record NetworkOptions
{
    public required string DataRoot { get; init; }
    public required string ExecRoot { get; init; }
    /// <summary>Linux bridge of the default "bridge" network.</summary>
    public string DefaultBridge { get; init; } = "wharf0";
    /// <summary>Prepended to Docker's chain names. Empty for the system daemon; test daemons running side by side
    /// use a short unique prefix so they never touch each other's rules.</summary>
    public string ChainPrefix { get; init; } = "";
    /// <summary>When false no iptables rule is written (daemon.json "iptables": false).</summary>
    public bool Iptables { get; init; } = true;
    /// <summary>How long a published port's firewall rules wait before they are added (see HeldPortRules): a container
    /// gone within it never costs an iptables-restore.</summary>
    public TimeSpan PortRuleHold { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Remove bridges, rules and chains at shutdown when no endpoint is left (test daemons).</summary>
    public bool CleanupOnShutdown { get; init; }
    public string HostResolvConf { get; init; } = "/etc/resolv.conf";
    public int Mtu { get; init; }
    /// <summary>Index in the default pools where the default bridge's subnet search starts.</summary>
    public int DefaultPoolStart { get; init; }
}
