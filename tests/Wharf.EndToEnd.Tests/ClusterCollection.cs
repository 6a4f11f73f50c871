namespace Wharf.EndToEnd.Tests;

/// <summary>Tests that bring up the scripts/cluster-up.sh harness: its underlay namespace (whc-ul) and host
/// namespaces have fixed names, so only one cluster can be up at a time and these classes never run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
