namespace Wharf.EndToEnd.Tests;

/// <summary>Tests in this collection share one daemon (start-up and the busybox import happen once).</summary>
[CollectionDefinition(Name)]
public sealed class DaemonCollection : ICollectionFixture<DaemonFixture>
{
    public const string Name = "daemon";
}
