using System.Diagnostics;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Host;
using Wharf.Core.Oci;

namespace Wharf.Linux;

/// <summary>Pause, resume and live resource updates through the runc CLI, with the daemon's runc state root.</summary>
public sealed class RuncControl : IRuntimeControl
{
    private readonly string _runtimePath;
    private readonly string _runtimeRoot;

    public RuncControl(string runtimePath, string runtimeRoot)
    {
        _runtimePath = runtimePath;
        _runtimeRoot = runtimeRoot;
    }

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync(["pause", containerId], null, cancellationToken);

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync(["resume", containerId], null, cancellationToken);

    /// <summary>runc update --resources - reads an OCI LinuxResources document from stdin.</summary>
    public Task UpdateAsync(string containerId, SpecResources resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var json = JsonSerializer.SerializeToUtf8Bytes(resources, CoreJsonContext.Default.SpecResources);
        return RunAsync(["update", "--resources", "-", containerId], json, cancellationToken);
    }

    public async Task DeleteAsync(string containerId, CancellationToken cancellationToken)
    {
        var (code, _, error) = await ExecAsync(_runtimePath, ["--root", _runtimeRoot, "delete", "--force", containerId], null, cancellationToken).ConfigureAwait(false);
        // "does not exist": runc has nothing of it (its state went with the shim's own delete), which is the goal.
        if (code != 0 && !error.Contains("does not exist", StringComparison.Ordinal))
            throw new IOException($"runc delete: {RuncMessage(error.Trim(), code)}");
    }

    /// <summary>runc keeps one directory named by the container id under its root.</summary>
    public IReadOnlyList<string> ListContainers() =>
        Directory.Exists(_runtimeRoot) ? [.. Directory.EnumerateDirectories(_runtimeRoot).Select(Path.GetFileName).OfType<string>()] : [];

    /// <summary>ps with "-q pid,pid" first (fast, exact); some options (e.g. "f") refuse a pid list, so on failure
    /// plain ps, as Docker does.</summary>
    public async Task<string> ProcessTableAsync(IReadOnlyList<string> psArgs, IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(psArgs);
        ArgumentNullException.ThrowIfNull(pids);
        var withPids = new List<string>(psArgs);
        if (pids.Count > 0)
        {
            withPids.Add("-q");
            withPids.Add(string.Join(',', pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        var (code, output, _) = await ExecAsync("ps", withPids, null, cancellationToken).ConfigureAwait(false);
        if (code == 0) return output;
        var (plainCode, plainOutput, plainError) = await ExecAsync("ps", psArgs, null, cancellationToken).ConfigureAwait(false);
        if (plainCode != 0) throw new IOException($"ps: {plainError.Trim()}");
        return plainOutput;
    }

    private async Task RunAsync(IReadOnlyList<string> args, byte[]? stdin, CancellationToken cancellationToken)
    {
        var (code, _, error) = await ExecAsync(_runtimePath, ["--root", _runtimeRoot, .. args], stdin, cancellationToken).ConfigureAwait(false);
        if (code != 0)
            throw new IOException($"runc {args[0]}: {RuncMessage(error.Trim(), code)}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(string program, IReadOnlyList<string> args, byte[]? stdin, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new IOException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>runc logs as logfmt on stderr ("time=... level=error msg=\"...\""): keep only the message.</summary>
    public static string RuncMessage(string stderr, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var marker = stderr.LastIndexOf("msg=", StringComparison.Ordinal);
        if (marker < 0) return stderr.Length > 0 ? stderr : $"exit status {exitCode}";
        var message = stderr[(marker + 4)..].Trim();
        if (message.StartsWith('"'))
        {
            var end = message.LastIndexOf('"');
            message = end > 0 ? message[1..end] : message[1..];
        }
        return message.Replace("\\\"", "\"", StringComparison.Ordinal);
    }
}
