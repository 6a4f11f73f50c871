namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>Polling helpers for lifecycle tests (restarts and health checks happen on their own schedule).</summary>
internal static class LifecycleWait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not reached in {within.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    public static async Task<string> InspectAsync(DaemonFixture daemon, string format, string container) =>
        (await daemon.DockerAsync("inspect", "-f", format, container)).Stdout.TrimEnd('\n');

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];
}
