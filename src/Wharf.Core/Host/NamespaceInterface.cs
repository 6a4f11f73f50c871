namespace Wharf.Core.Host;

/// <summary>What to configure on one interface inside a network namespace: addresses, bring it up and, when
/// <see cref="Gateway"/> is set, a default route through it.</summary>
public sealed record NamespaceInterface(string Name, IReadOnlyList<NetAddress> Addresses, System.Net.IPAddress? Gateway, System.Net.IPAddress? Gateway6 = null);
