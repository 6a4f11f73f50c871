using System.Text;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Content;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Content;

public sealed class ContentStoreTests : IDisposable
{
    private readonly ImageTestDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Write_Bytes_StoredUnderTheirSha256()
    {
        var store = new ContentStore(_root.Path);
        var data = Encoding.UTF8.GetBytes("some blob");

        var digest = store.Write(data);

        Assert.Equal(Digest.Compute(data), digest);
        Assert.Equal(_root.Combine("content", "blobs", "sha256", digest.Hex), store.BlobPath(digest));
        Assert.Equal(data, store.ReadAllBytes(digest));
        Assert.Equal(data.Length, store.Size(digest));
    }

    [Fact]
    public async Task WriteAsync_ExpectedDigestAndSizeMatch_Commits()
    {
        var store = new ContentStore(_root.Path);
        var data = Encoding.UTF8.GetBytes("verified");

        var digest = await store.WriteAsync(new MemoryStream(data), Digest.Compute(data), data.Length, CancellationToken.None);

        Assert.True(store.Exists(digest));
    }

    [Fact]
    public async Task WriteAsync_DigestMismatch_RejectedAndNothingLeft()
    {
        var store = new ContentStore(_root.Path);
        var wrong = Digest.Compute("other"u8);

        var error = await Assert.ThrowsAsync<EngineException>(() =>
            store.WriteAsync(new MemoryStream("actual"u8.ToArray()), wrong, null, CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Combine("content", "blobs", "sha256")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Combine("content", "ingest")));
    }

    [Fact]
    public void Commit_SizeMismatch_RejectedAndNothingLeft()
    {
        var store = new ContentStore(_root.Path);
        using var writer = store.BeginWrite();
        writer.Write("12345"u8);

        Assert.Throws<EngineException>(() => writer.Commit(expectedSize: 4));
        writer.Dispose();

        Assert.False(store.Exists(Digest.Compute("12345"u8)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Combine("content", "ingest")));
    }

    [Fact]
    public void BeginWrite_BeforeCommit_BlobInvisibleAndPartialFileInIngest()
    {
        var store = new ContentStore(_root.Path);
        var writer = store.BeginWrite();
        writer.Write("partial"u8);
        writer.Flush();

        Assert.False(store.Exists(Digest.Compute("partial"u8)));
        Assert.Single(Directory.EnumerateFiles(_root.Combine("content", "ingest")));

        writer.Dispose();
        Assert.Empty(Directory.EnumerateFiles(_root.Combine("content", "ingest")));
    }

    [Fact]
    public void Write_SameContentTwice_OneBlobAndListed()
    {
        var store = new ContentStore(_root.Path);

        var first = store.Write("same"u8);
        var second = store.Write("same"u8);

        Assert.Equal(first, second);
        Assert.Equal([first], store.List());
    }

    [Fact]
    public void OpenRead_Missing_ThrowsNotFound()
    {
        var store = new ContentStore(_root.Path);

        var error = Assert.Throws<EngineException>(() => store.OpenRead(Digest.Compute("absent"u8)));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }
}
