using System.Diagnostics;
using System.Text;
using Wharf.Engine.Containers.Health;

namespace Wharf.Daemon.Health;

/// <summary>Runs health probes with <c>runc exec</c> against the daemon's runc root. runc takes the process
/// template (env, user, cwd, capabilities) from the container's own spec, so the probe sees what the container
/// sees. A stopgap until container exec lands: then the probe should go through the engine's exec path.</summary>
internal sealed class RuncProbeRunner(string runtimePath, string runtimeRoot) : IContainerProbeRunner
{
    public async Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(runtimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--root", runtimeRoot, "exec", containerId, .. command]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + runtimePath);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // runc forwards what it receives to the probe; killing the tree ends both.
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new ProbeOutcome(ProbeOutcome.TimedOut, "");
        }
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        lock (output) return new ProbeOutcome(process.ExitCode, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (sink)
            {
                // Docker keeps only the first 4 KiB; stop growing well past that.
                if (sink.Length < HealthRules.MaxOutputLength * 2) sink.Append(buffer, 0, read);
            }
        }
    }
}
