namespace Wharf.Core.Host;

/// <summary>Applies firewall changes computed by the engine as iptables-restore text (one batch per change).</summary>
public interface IFirewall
{
    /// <summary>Applies <paramref name="script"/> (iptables-restore syntax: "*filter", rules, "COMMIT") without
    /// flushing other rules. Throws with the tool's message when the batch is refused (nothing is applied then).</summary>
    void Apply(string script);

    /// <summary>Enables IPv4 forwarding between interfaces (net.ipv4.ip_forward=1).</summary>
    void EnableForwarding();

    /// <summary>Whether <paramref name="chain"/> exists in <paramref name="table"/>.</summary>
    bool ChainExists(string table, string chain);

    /// <summary>The current rules of <paramref name="table"/> in iptables-save form ("-A CHAIN ..." lines).</summary>
    IReadOnlyList<string> ListRules(string table);
}
