using Wharf.Core.Shim;

namespace Wharf.Shim;

internal static class Program
{
    private const string Usage =
        "usage: wharf-shim --id ID --bundle DIR --state-dir DIR --runtime RUNC --runtime-root DIR --log FILE\n" +
        "                  [--rootfs MOUNTPOINT] [--stdin] [--stdin-once] [--tty]\n" +
        "Supervises one container: runs it with the OCI runtime, keeps its stdio, writes its json-file log and\n" +
        "exit status, and serves start/attach/wait/kill/state on <state-dir>/shim.sock.";

    public static async Task<int> Main(string[] args)
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
