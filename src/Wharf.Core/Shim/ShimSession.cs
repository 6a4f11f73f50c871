namespace Wharf.Core.Shim;

/// <summary>A shim's answer to attach or exec, and the stream that follows an Ok answer.</summary>
public sealed record ShimSession(ShimResponse Answer, Stream? Stream);
