using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>What a tail read found: the entries, oldest first, and where the complete records end (a follower goes
/// on from there; anything after it was still being written).</summary>
internal sealed record TailResult(List<JsonLogEntry> Entries, long CompleteEnd);
