namespace Wharf.Compose.Model;

/// <summary>deploy.restart_policy: condition none|on-failure|any (or the engine's names), max_attempts, delay, window.</summary>
public sealed record DeployRestartPolicy(string? Condition, long? MaxAttempts, TimeSpan? Delay, TimeSpan? Window);
