using Wharf.Core.Shim;

namespace Wharf.Engine.Containers;

/// <summary>An attach that arrived before the container's shim exists (docker run attaches, then starts). It is
/// connected to the shim right before "start", so no output is missed.</summary>
internal sealed record PendingAttach(ShimRequest Request, TaskCompletionSource<Stream> Connection);
