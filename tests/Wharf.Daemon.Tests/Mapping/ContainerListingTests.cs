using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Tests.Mapping;

public sealed class ContainerListingTests
{
    [Fact]
    public void Summaries_RecordThatCannotBeMapped_IsListedByIdAndNameAndTheOthersInFull()
    {
        var good = new ContainerRecord { Id = new string('a', 64), Name = "good", ImageId = "sha256:1", Config = new ContainerConfig { Image = "busybox" } };
        var broken = new ContainerRecord { Id = new string('b', 64), Name = "broken", ImageId = "sha256:2", Config = null! }; // as read from a hand-edited record

        var summaries = ContainerListing.Summaries([ContainerSnapshot.Of(good), ContainerSnapshot.Of(broken)], DateTimeOffset.UnixEpoch, networks: null, NullLogger.Instance);

        Assert.Equal(2, summaries.Count);
        Assert.Equal(("busybox", "/good"), (summaries[0].Image, summaries[0].Names[0]));
        Assert.Equal((new string('b', 64), "/broken", ""), (summaries[1].Id, summaries[1].Names[0], summaries[1].Image));
    }
}
