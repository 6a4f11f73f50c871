namespace Wharf.Engine.Containers.Restart;

/// <summary>Docker's delay before an automatic restart: 100 ms, doubled at every consecutive restart, capped at one
/// minute, and back to 100 ms once a run lasted at least 10 seconds (the container was healthy for a while, so a
/// new failure is not part of the same crash loop).</summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    /// <summary>The last delay handed out; zero before the first.</summary>
    public TimeSpan Current { get; private set; } = TimeSpan.Zero;

    /// <summary>The delay before the next restart, given how long the run that just ended lasted.</summary>
    public TimeSpan Next(TimeSpan ranFor)
    {
        if (ranFor >= ResetAfter) Current = TimeSpan.Zero;
        Current = Current == TimeSpan.Zero ? Initial : Current * 2;
        if (Current > Maximum) Current = Maximum;
        return Current;
    }

    public void Reset() => Current = TimeSpan.Zero;
}
