using Wharf.Engine.Containers.Security;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Create warnings for --cap-add capabilities this host cannot grant (see <see cref="UnavailableCapabilities"/>).</summary>
    public IReadOnlyList<string> CapabilityWarnings(HostSettings host) =>
        [.. UnavailableCapabilities.Find(host.CapAdd, host.Privileged, _options.HostCapabilities).Select(UnavailableCapabilities.Warning)];
}
