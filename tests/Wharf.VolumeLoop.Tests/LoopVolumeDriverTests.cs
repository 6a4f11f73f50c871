using Wharf.TestKit;
using Xunit;

namespace Wharf.VolumeLoop.Tests;

/// <summary>Privileged: real ext4 images, real loop mounts (CI is root). Everything is unmounted and deleted
/// in Dispose, even when an assertion fails.</summary>
public sealed class LoopVolumeDriverTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-loop");
    private readonly LoopVolumeDriver _driver;

    public LoopVolumeDriverTests() => _driver = new LoopVolumeDriver(_temp.Path, 8L * 1024 * 1024);

    public void Dispose()
    {
        foreach (var name in _driver.List())
        {
            try { _driver.Unmount(name, "any"); } catch (DriverException) { }
        }
        _temp.Dispose();
    }

    [Fact]
    public void CreateMountWrite_SizeIsEnforced_UnmountAndRemoveCleanUp()
    {
        _driver.Create("small", new Dictionary<string, string> { ["size"] = "8M" });
        Assert.Equal(["small"], _driver.List());
        Assert.Equal("", _driver.PathOf("small"));

        var path = _driver.Mount("small", "c1");
        Assert.Equal(path, _driver.Mount("small", "c2"));
        Assert.Equal(path, _driver.PathOf("small"));
        File.WriteAllText(Path.Combine(path, "hello"), "hi");

        // 16 MiB cannot fit into an 8 MiB filesystem.
        var full = Assert.Throws<IOException>(() =>
        {
            using var file = File.Create(Path.Combine(path, "big"));
            var chunk = new byte[1024 * 1024];
            for (var i = 0; i < 16; i++) { file.Write(chunk); file.Flush(flushToDisk: true); }
        });
        Assert.Contains("space", full.Message, StringComparison.OrdinalIgnoreCase);

        _driver.Unmount("small", "c1");
        Assert.Equal(path, _driver.PathOf("small")); // still used by c2
        Assert.Contains("in use", Assert.Throws<DriverException>(() => _driver.Remove("small")).Message);
        _driver.Unmount("small", "c2");
        Assert.Equal("", _driver.PathOf("small"));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(path, StringComparison.Ordinal));
        // The unmount alone freed the loop device (autoclear).
        var image = Path.Combine(_temp.Path, "volumes", "small.img");
        for (var i = 0; i < 50 && LoopDevicesBackedBy(image) > 0; i++) Thread.Sleep(20);
        Assert.Equal(0, LoopDevicesBackedBy(image));

        // The data lives in the image: mounting again shows it.
        Assert.Equal("hi", File.ReadAllText(Path.Combine(_driver.Mount("small", "c3"), "hello")));
        _driver.Unmount("small", "c3");
        _driver.Remove("small");
        Assert.Empty(_driver.List());
    }

    private static int LoopDevicesBackedBy(string image) =>
        Directory.EnumerateDirectories("/sys/block", "loop*").Count(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "loop", "backing_file")).Trim() == image; }
            catch (IOException) { return false; }
        });

    [Theory]
    [InlineData("1G", 1L << 30)]
    [InlineData("512m", 512L << 20)]
    [InlineData("4194304", 4194304L)]
    public void ParseSize_Units(string text, long expected) => Assert.Equal(expected, LoopVolumeDriver.ParseSize(text));

    [Fact]
    public void BadInput_IsReportedAsDriverErrors()
    {
        Assert.Throws<DriverException>(() => LoopVolumeDriver.ParseSize("1K"));
        Assert.Throws<DriverException>(() => LoopVolumeDriver.ParseSize("lots"));
        Assert.Contains("invalid volume name", Assert.Throws<DriverException>(() => _driver.Create("../evil", new Dictionary<string, string>())).Message);
        Assert.Contains("unknown option", Assert.Throws<DriverException>(() => _driver.Create("v", new Dictionary<string, string> { ["type"] = "nfs" })).Message);
        Assert.Contains("no such volume", Assert.Throws<DriverException>(() => _driver.Mount("absent", "c")).Message);
    }
}
