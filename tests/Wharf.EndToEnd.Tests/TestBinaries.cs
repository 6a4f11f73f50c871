namespace Wharf.EndToEnd.Tests;

/// <summary>Where the published wharfd, wharf-shim and wharf are: $WHARF_BIN_DIR (test.sh sets it), else
/// ./out at the repository root.</summary>
public static class TestBinaries
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Dir { get; } = Environment.GetEnvironmentVariable("WHARF_BIN_DIR") is { Length: > 0 } d ? d : Path.Combine(RepoRoot, "out");

    public static string Wharfd => Path.Combine(Dir, "wharfd");
    public static string Shim => Path.Combine(Dir, "wharf-shim");
    public static string Wharf => Path.Combine(Dir, "wharf");
    public static string Docker => File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : "docker";
    public static string BusyboxRootfsScript => Path.Combine(RepoRoot, "scripts", "make-busybox-rootfs.sh");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Wharf.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Wharf.sln)");
    }
}
