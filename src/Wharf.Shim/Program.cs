using Wharf.Core.Shim;
using Wharf.Linux.Exec;

namespace Wharf.Shim;

internal static class Program
{
    private const string Usage =
        "usage: wharf-shim --id ID --bundle DIR --state-dir DIR --runtime RUNC --runtime-root DIR --log FILE\n" +
        "                  [--rootfs MOUNTPOINT] [--stdin] [--stdin-once] [--tty]\n" +
        "Supervises one container: runs it with the OCI runtime, keeps its stdio, writes its json-file log and\n" +
        "exit status, and serves start/attach/wait/kill/state on <state-dir>/shim.sock.";

    /// <summary>The hidden exec-helper mode is dispatched first and synchronously: it runs on the main thread, the
    /// one whose namespaces and credentials it changes before execve.</summary>
    public static int Main(string[] args) =>
        args is [ExecHelper.Mode] ? ExecHelper.Run() : MainAsync(args).GetAwaiter().GetResult();

    private static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0 || args is ["--help"] or ["-h"])
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        ShimOptions options;
        try
        {
            options = ShimOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"wharf-shim: {e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        return await new ShimHost(options, TimeProvider.System).RunAsync().ConfigureAwait(false);
    }
}
