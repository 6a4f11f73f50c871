using Wharf.Core;

namespace Wharf.Registry.Gc;

/// <summary>What a garbage collection marked and swept (or, in a dry run, would sweep).</summary>
internal sealed record GarbageCollectionResult(int Marked, IReadOnlyList<Digest> Swept, int AbandonedUploads);
