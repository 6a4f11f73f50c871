namespace Wharf.Engine.Containers.Spec;

/// <summary>The numeric identity a container process runs as, after resolving Docker's <c>-u</c> string.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);
