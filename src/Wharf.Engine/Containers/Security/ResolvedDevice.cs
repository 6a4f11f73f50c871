using Wharf.Core.Host;

namespace Wharf.Engine.Containers.Security;

/// <summary>A host device as it is put into a container: the node, its path inside, the cgroup access.</summary>
public sealed record ResolvedDevice(HostDevice Host, string ContainerPath, string Permissions);
