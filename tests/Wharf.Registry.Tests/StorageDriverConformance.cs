using System.Text;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

/// <summary>One suite every <see cref="IStorageDriver"/> must pass; subclasses supply the driver.</summary>
public abstract class StorageDriverConformance
{
    private protected abstract IStorageDriver Driver { get; }

    [Fact]
    public void PutContent_ThenGet_ReturnsBytesAndStat()
    {
        Driver.PutContent("a/b/c", "hello"u8);
        Assert.Equal("hello", Encoding.UTF8.GetString(Driver.GetContent("a/b/c")!));
        var entry = Driver.Stat("a/b/c");
        Assert.NotNull(entry);
        Assert.Equal(5, entry.Size);
        Assert.False(entry.IsDirectory);
        Assert.True(Driver.Stat("a/b")!.IsDirectory);
    }

    [Fact]
    public void GetContent_Missing_ReturnsNull()
    {
        Assert.Null(Driver.GetContent("nope/x"));
        Assert.Null(Driver.Stat("nope/x"));
        Assert.Null(Driver.OpenRead("nope/x"));
        Assert.Empty(Driver.List("nope"));
    }

    [Fact]
    public void PutContent_Existing_ReplacesWholeContent()
    {
        Driver.PutContent("f", "a long first value"u8);
        Driver.PutContent("f", "short"u8);
        Assert.Equal("short", Encoding.UTF8.GetString(Driver.GetContent("f")!));
    }

    [Fact]
    public async Task CreateWriter_AppendAcrossWriters_ConcatenatesAndReadsAtOffset()
    {
        var first = Driver.CreateWriter("up/data", append: false);
        await first.WriteAsync("0123"u8.ToArray(), CancellationToken.None);
        await first.CommitAsync(CancellationToken.None);
        await first.DisposeAsync();
        var second = Driver.CreateWriter("up/data", append: true);
        await second.WriteAsync("456789"u8.ToArray(), CancellationToken.None);
        Assert.Equal(10, second.Size);
        await second.CommitAsync(CancellationToken.None);
        await second.DisposeAsync();

        Assert.Equal(10, Driver.Stat("up/data")!.Size);
        using var reader = Driver.OpenRead("up/data", 4)!;
        using var text = new StreamReader(reader);
        Assert.Equal("456789", await text.ReadToEndAsync());
    }

    [Fact]
    public async Task Cancel_RemovesObject()
    {
        var writer = Driver.CreateWriter("x/data", append: false);
        await writer.WriteAsync("abc"u8.ToArray(), CancellationToken.None);
        writer.Cancel();
        await writer.DisposeAsync();
        Assert.Null(Driver.Stat("x/data"));
    }

    [Fact]
    public void List_ReturnsDirectChildrenSorted()
    {
        Driver.PutContent("root/b/1", "x"u8);
        Driver.PutContent("root/a", "x"u8);
        Driver.PutContent("root/c/d/e", "x"u8);
        Assert.Equal(["root/a", "root/b", "root/c"], Driver.List("root"));
    }

    [Fact]
    public void Move_ReplacesDestinationAndRemovesSource()
    {
        Driver.PutContent("src/data", "new"u8);
        Driver.PutContent("dst/data", "old"u8);
        Driver.Move("src/data", "dst/data");
        Assert.Null(Driver.Stat("src/data"));
        Assert.Equal("new", Encoding.UTF8.GetString(Driver.GetContent("dst/data")!));
        Assert.ThrowsAny<IOException>(() => Driver.Move("src/data", "elsewhere"));
    }

    [Fact]
    public void Delete_Directory_RemovesTreeAndMissingIsFine()
    {
        Driver.PutContent("tree/a/b", "x"u8);
        Driver.PutContent("tree/c", "x"u8);
        Driver.PutContent("treeish", "keep"u8);
        Driver.Delete("tree");
        Driver.Delete("tree");
        Assert.Null(Driver.Stat("tree"));
        Assert.NotNull(Driver.Stat("treeish"));
    }

    [Fact]
    public void Paths_WithDotDot_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => Driver.PutContent("../escape", "x"u8));
    }

    [Fact]
    public async Task ConcurrentPutContent_SamePath_LeavesOneCompleteValue()
    {
        var values = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 4096)).ToArray();
        await Task.WhenAll(values.Select(v => Task.Run(() => Driver.PutContent("race", Encoding.ASCII.GetBytes(v)))));
        Assert.Contains(Encoding.ASCII.GetString(Driver.GetContent("race")!), values);
    }
}
