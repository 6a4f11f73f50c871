namespace Wharf.TestKit;

/// <summary>One call the engine made to a (fake) shim.</summary>
public sealed record ShimCall(string Op, string ContainerId, int? Signal, string? ExecId);
