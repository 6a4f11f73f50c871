using Wharf.Linux;
using Wharf.Linux.Host;

namespace Wharf.Daemon.Configuration;

/// <summary>Facts about the host and the runtime, read once at start-up (they do not change while we run)
/// and reported by /info and /version. runc's version is asked in the background: a `runc --version` (twice that,
/// before) is tens of milliseconds the daemon need not wait for before it listens; /info and /version await it.</summary>
internal sealed record HostInventory(HostFacts Host, Task<RuncVersion> Runc, string EngineId)
{
    public static HostInventory Read(DaemonSettings settings) =>
        new(HostFactsReader.Read(), AskRuncAsync(settings.Runtime), ReadOrCreateEngineId(settings.DataRoot));

    private static async Task<RuncVersion> AskRuncAsync(string runtime)
    {
        try
        {
            return await new RuncCli(runtime).VersionAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new RuncVersion("unknown", "");
        }
    }

    private static string ReadOrCreateEngineId(string dataRoot)
    {
        var file = Path.Combine(dataRoot, "engine-id");
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        var id = Guid.NewGuid().ToString();
        Engine.Storage.AtomicFile.Write(file, System.Text.Encoding.UTF8.GetBytes(id + "\n"));
        return id;
    }
}
