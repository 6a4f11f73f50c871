using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Networks;

/// <summary>Fire-and-forget tasks of networking (DNS and port-proxy loops, delayed rule work): each one is observed,
/// so a fault is logged instead of vanishing as an unobserved task exception.</summary>
internal static class BackgroundTasks
{
    public static void Observe(this Task task, ILogger logger, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ContinueWith(t => NetworkLog.BackgroundTaskFailed(logger, what, t.Exception!.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
