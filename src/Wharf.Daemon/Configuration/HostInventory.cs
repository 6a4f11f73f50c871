using Wharf.Linux;
using Wharf.Linux.Host;

namespace Wharf.Daemon.Configuration;

/// <summary>Facts about the host and the runtime, read once at start-up (they do not change while we run)
/// and reported by /info and /version.</summary>
internal sealed record HostInventory(HostFacts Host, string RuncVersion, string RuncCommit, string EngineId)
{
    public static async Task<HostInventory> ReadAsync(DaemonSettings settings)
    {
        var runc = new RuncCli(settings.Runtime);
        string version, commit;
        try
        {
            version = await runc.VersionAsync();
            commit = await runc.CommitAsync();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            version = "unknown";
            commit = "";
        }
        return new HostInventory(HostFactsReader.Read(), version, commit, ReadOrCreateEngineId(settings.DataRoot));
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
