namespace Wharf.Engine.Containers.Restart;

/// <summary>Docker's restart policies as one pure decision: given how a container ended, should it run again?
/// The back-off between attempts is <see cref="RestartBackoff"/>'s business; cancellation (a user's stop or kill)
/// is <see cref="RestartSupervisor"/>'s.</summary>
public static class RestartPolicyDecider
{
    public const string No = "no";
    public const string Always = "always";
    public const string OnFailure = "on-failure";
    public const string UnlessStopped = "unless-stopped";

    /// <param name="policy">no | always | on-failure | unless-stopped.</param>
    /// <param name="maximumRetryCount">on-failure's limit; 0 means no limit, as in Docker.</param>
    /// <param name="restartCount">Restarts already made since the user last started the container.</param>
    /// <param name="exitCode">The exit code of the run that just ended.</param>
    /// <param name="manuallyStopped">The user stopped or killed it (only unless-stopped looks at this: for the
    /// others a user's stop cancels the supervisor instead, and a daemon restart starts them again).</param>
    public static bool ShouldRestart(string policy, int maximumRetryCount, int restartCount, int exitCode, bool manuallyStopped) => policy switch
    {
        Always => true,
        UnlessStopped => !manuallyStopped,
        OnFailure => exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount),
        _ => false,
    };
}
