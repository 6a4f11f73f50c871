namespace Wharf.Engine.Containers;

/// <summary>What /containers/{id}/wait reports: the exit code and, when the wait itself failed, why.</summary>
public sealed record WaitResult(int StatusCode, string? Error = null);
