using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>Docker's wait conditions: not-running (default), next-exit, removed.</summary>
public enum WaitCondition
{
    NotRunning,
    NextExit,
    Removed,
}

public static class WaitConditions
{
    public static WaitCondition Parse(string? text) => text switch
    {
        null or "" or "not-running" => WaitCondition.NotRunning,
        "next-exit" => WaitCondition.NextExit,
        "removed" => WaitCondition.Removed,
        _ => throw EngineException.Invalid($"invalid condition: \"{text}\""),
    };
}
