using System.Diagnostics;
using System.Globalization;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Tests.Snapshots;

/// <summary>Test-only file operations through coreutils (mknod, chown -h, ln), to prove the applier's output with
/// the real kernel without depending on Wharf.Linux. Needs root.</summary>
internal sealed class CommandLineFileSystemOps : IFileSystemOps
{
    public void Lchown(string path, int uid, int gid) =>
        Run("chown", "-h", $"{uid.ToString(CultureInfo.InvariantCulture)}:{gid.ToString(CultureInfo.InvariantCulture)}", path);

    public void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor)
    {
        var type = kind switch { SpecialFileKind.CharacterDevice => "c", SpecialFileKind.BlockDevice => "b", _ => "p" };
        if (kind == SpecialFileKind.Fifo) Run("mknod", path, type);
        else Run("mknod", path, type, major.ToString(CultureInfo.InvariantCulture), minor.ToString(CultureInfo.InvariantCulture));
    }

    public void Link(string existingPath, string newPath) => Run("ln", existingPath, newPath);

    public void SetXattr(string path, string name, ReadOnlySpan<byte> value) => throw new NotSupportedException();

    public static void Run(string file, params string[] arguments) => Capture(file, arguments);

    /// <summary>Runs a command, fails on a non-zero exit, returns its trimmed standard output.</summary>
    public static string Capture(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {errorTask.Result}");
        return output.Trim();
    }
}
