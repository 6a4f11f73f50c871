namespace Wharf.Testcontainers.Tests;

/// <summary>A fact that is skipped, with the reason, where no test daemon can run (not root, binaries missing).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DaemonFactAttribute : FactAttribute
{
    public DaemonFactAttribute()
    {
        if (TestcontainersDaemon.SkipReason is { } reason) Skip = reason;
    }
}
