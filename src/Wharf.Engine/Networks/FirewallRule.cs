namespace Wharf.Engine.Networks;

/// <summary>One iptables rule in iptables-save form ("-A CHAIN match... -j TARGET") in a table; <see cref="Insert"/>
/// puts it at the top of its chain instead of appending.</summary>
public sealed record FirewallRule(string Table, string Line, bool Insert = false);
