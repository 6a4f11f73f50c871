using System.Text;

namespace Wharf.Cli.Tests;

/// <summary>Runs the whole CLI in-process against a <see cref="FakeDaemon"/> (or no daemon), capturing what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err, string RawOut)
{
    public static async Task<CliRun> Async(FakeDaemon? daemon, string[] args, byte[]? stdin = null, Func<string, string?>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var rawOut = new MemoryStream();
        string[] full = daemon is null ? ["-H", "unix:///nonexistent/wharf.sock", .. args] : ["-H", daemon.Host, .. args];
        var code = await CliApp.RunAsync(full, output, error, environment ?? (_ => null), TimeProvider.System,
            () => new MemoryStream(stdin ?? []), () => rawOut, () => Stream.Null);
        return new CliRun(code, output.ToString(), error.ToString(), Encoding.UTF8.GetString(rawOut.ToArray()));
    }
}
