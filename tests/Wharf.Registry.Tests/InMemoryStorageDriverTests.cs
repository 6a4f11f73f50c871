using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

public sealed class InMemoryStorageDriverTests : StorageDriverConformance
{
    private protected override IStorageDriver Driver { get; } = new InMemoryStorageDriver();
}
