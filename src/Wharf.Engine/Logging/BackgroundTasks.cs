using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Logging;

/// <summary>Work the engine starts and does not await (exit monitors, restarts, exec watchers). A fault in such a
/// task would otherwise vanish with it; <see cref="Observe"/> logs it instead.</summary>
internal static partial class BackgroundTasks
{
    /// <summary>Logs the task's fault, if it ever faults. Cancellation is not a fault.</summary>
    public static void Observe(this Task task, ILogger log, string operation, string subject)
    {
        if (task.IsCompletedSuccessfully) return;
        task.ContinueWith(static (t, state) =>
            {
                var (log, operation, subject) = ((ILogger, string, string))state!;
                var error = t.Exception!.InnerExceptions.Count == 1 ? t.Exception.InnerExceptions[0] : t.Exception;
                Failed(log, error, operation, subject);
            },
            (log, operation, subject), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background {Operation} for {Subject} failed")]
    private static partial void Failed(ILogger log, Exception error, string operation, string subject);
}
