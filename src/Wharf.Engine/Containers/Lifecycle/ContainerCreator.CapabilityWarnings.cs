using Wharf.Engine.Containers.Security;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerCreator
{
    /// <summary>Create warnings for --cap-add capabilities this host cannot grant (see <see cref="UnavailableCapabilities"/>).</summary>
    public IReadOnlyList<string> CapabilityWarnings(HostSettings host) =>
        [.. UnavailableCapabilities.Find(host.CapAdd, host.Privileged, _options.HostCapabilities).Select(UnavailableCapabilities.Warning)];

    /// <summary>Drops the blkio settings this host's cgroups cannot apply, before the record is stored; Docker's warnings.</summary>
    public IReadOnlyList<string> DiscardUnsupportedResources(HostSettings host) => _options.Blkio.DiscardUnsupported(host);
}
