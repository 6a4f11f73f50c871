namespace Wharf.Testcontainers.Tests;

/// <summary>Every Testcontainers test shares one daemon (start-up and the busybox import happen once).</summary>
[CollectionDefinition(Name)]
public sealed class TestcontainersCollection : ICollectionFixture<TestcontainersDaemon>
{
    public const string Name = "testcontainers";
}
