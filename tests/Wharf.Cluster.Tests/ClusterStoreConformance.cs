using System.Text;
using Wharf.Core.Cluster;

namespace Wharf.Cluster.Tests;

/// <summary>One suite every <see cref="IClusterStore"/> must pass (the in-memory fake and etcd); subclasses supply
/// the store. Each test works under a prefix of its own, so tests can share one etcd.</summary>
public abstract class ClusterStoreConformance
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    protected string P { get; } = $"t{Guid.NewGuid():N}"[..13] + "/";

    private protected abstract IClusterStore Store { get; }

    /// <summary>Makes the store forget history up to <paramref name="revision"/>.</summary>
    private protected abstract Task CompactAsync(long revision);

    [Fact]
    public async Task Put_ThenGet_ReturnsValueAndRevisions()
    {
        var revision = await Store.PutAsync(P + "a", "one"u8.ToArray());

        var entry = await Store.GetAsync(P + "a");

        Assert.NotNull(entry);
        Assert.Equal("one", entry.ValueText);
        Assert.Equal(revision, entry.ModRevision);
        Assert.Equal(revision, entry.CreateRevision);
        Assert.Equal(1, entry.Version);
        Assert.Equal(0, entry.Lease);
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(P + "nothing"));
        Assert.Empty((await Store.ListAsync(P)).Entries);
    }

    [Fact]
    public async Task Put_Twice_KeepsCreateRevisionAndCountsVersion()
    {
        var first = await Store.PutAsync(P + "a", "one"u8.ToArray());
        var second = await Store.PutAsync(P + "a", "two"u8.ToArray());

        var entry = await Store.GetAsync(P + "a");

        Assert.True(second > first);
        Assert.Equal(first, entry!.CreateRevision);
        Assert.Equal(second, entry.ModRevision);
        Assert.Equal(2, entry.Version);
        Assert.Equal("two", entry.ValueText);
    }

    [Fact]
    public async Task List_Prefix_ReturnsOnlyKeysUnderItInKeyOrder()
    {
        await Store.PutAsync(P + "net/b", "2"u8.ToArray());
        await Store.PutAsync(P + "net/a", "1"u8.ToArray());
        await Store.PutAsync(P + "net/c/d", "3"u8.ToArray());
        var last = await Store.PutAsync(P + "netx", "sibling"u8.ToArray());

        var range = await Store.ListAsync(P + "net/");

        Assert.Equal([P + "net/a", P + "net/b", P + "net/c/d"], range.Entries.Select(e => e.Key));
        Assert.True(range.Revision >= last);
    }

    [Fact]
    public async Task Delete_Existing_RemovesItOnce()
    {
        await Store.PutAsync(P + "a", "1"u8.ToArray());

        Assert.True(await Store.DeleteAsync(P + "a"));
        Assert.False(await Store.DeleteAsync(P + "a"));
        Assert.Null(await Store.GetAsync(P + "a"));
    }

    [Fact]
    public async Task Commit_AbsentCompare_OnlyTheFirstCreateSucceeds()
    {
        var create = (string value) => new ClusterTransaction(
            [ClusterCompare.Absent(P + "ip/10.0.0.2")], [ClusterOperation.Put(P + "ip/10.0.0.2", Encoding.UTF8.GetBytes(value))]);

        var first = await Store.CommitAsync(create("host-a"));
        var second = await Store.CommitAsync(create("host-b"));

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal("host-a", (await Store.GetAsync(P + "ip/10.0.0.2"))!.ValueText);
    }

    [Fact]
    public async Task Commit_StaleModRevision_RunsTheFailureBranchOnly()
    {
        await Store.PutAsync(P + "n", "1"u8.ToArray());
        var read = await Store.GetAsync(P + "n");
        await Store.PutAsync(P + "n", "changed"u8.ToArray());

        var result = await Store.CommitAsync(new ClusterTransaction(
            [ClusterCompare.Unchanged(P + "n", read!.ModRevision)],
            [ClusterOperation.Put(P + "n", "2"u8)],
            [ClusterOperation.Put(P + "lost", "yes"u8)]));

        Assert.False(result.Succeeded);
        Assert.Equal("changed", (await Store.GetAsync(P + "n"))!.ValueText);
        Assert.Equal("yes", (await Store.GetAsync(P + "lost"))!.ValueText);
    }

    [Fact]
    public async Task Commit_ValueAndPresenceCompares_AllMustHold()
    {
        await Store.PutAsync(P + "state", "ready"u8.ToArray());

        var wrongValue = await Store.CommitAsync(new ClusterTransaction(
            [ClusterCompare.ValueEquals(P + "state", "busy"u8), ClusterCompare.Present(P + "state")],
            [ClusterOperation.Put(P + "x", "1"u8)]));
        var missingKey = await Store.CommitAsync(new ClusterTransaction(
            [ClusterCompare.ValueEquals(P + "state", "ready"u8), ClusterCompare.Present(P + "other")],
            [ClusterOperation.Put(P + "x", "1"u8)]));
        var both = await Store.CommitAsync(new ClusterTransaction(
            [ClusterCompare.ValueEquals(P + "state", "ready"u8), ClusterCompare.Absent(P + "other")],
            [ClusterOperation.Put(P + "x", "1"u8), ClusterOperation.Put(P + "y", "2"u8)]));

        Assert.False(wrongValue.Succeeded);
        Assert.False(missingKey.Succeeded);
        Assert.True(both.Succeeded);
        var range = await Store.ListAsync(P);
        Assert.Equal(both.Revision, range.Entries.Single(e => e.Key == P + "x").ModRevision);
        Assert.Equal(both.Revision, range.Entries.Single(e => e.Key == P + "y").ModRevision);
    }

    [Fact]
    public async Task Commit_SameKeyTwice_IsRefusedAndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<ClusterStoreException>(() => Store.CommitAsync(new ClusterTransaction(
            [], [ClusterOperation.Put(P + "a", "1"u8), ClusterOperation.Put(P + "a", "2"u8)])));

        Assert.Equal(ClusterStoreError.InvalidRequest, error.Error);
        Assert.Null(await Store.GetAsync(P + "a"));
    }

    [Fact]
    public async Task Commit_DeletePrefix_RemovesEveryKeyUnderIt()
    {
        await Store.PutAsync(P + "ep/1", "1"u8.ToArray());
        await Store.PutAsync(P + "ep/2", "2"u8.ToArray());
        await Store.PutAsync(P + "keep", "3"u8.ToArray());

        var result = await Store.CommitAsync(new ClusterTransaction([], [ClusterOperation.DeletePrefix(P + "ep/")]));

        Assert.True(result.Succeeded);
        Assert.Equal([P + "keep"], (await Store.ListAsync(P)).Entries.Select(e => e.Key));
    }

    [Fact]
    public async Task Commit_ConcurrentCompareAndSwapIncrements_LoseNoUpdate()
    {
        await Store.PutAsync(P + "counter", "0"u8.ToArray());

        async Task IncrementAsync(int times)
        {
            for (var done = 0; done < times;)
            {
                var current = (await Store.GetAsync(P + "counter"))!;
                var next = int.Parse(current.ValueText, System.Globalization.CultureInfo.InvariantCulture) + 1;
                var result = await Store.CommitAsync(new ClusterTransaction(
                    [ClusterCompare.Unchanged(P + "counter", current.ModRevision)],
                    [ClusterOperation.Put(P + "counter", Encoding.UTF8.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)))]));
                done += result.Succeeded ? 1 : 0;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => IncrementAsync(10))));

        Assert.Equal("40", (await Store.GetAsync(P + "counter"))!.ValueText);
    }

    [Fact]
    public async Task Watch_FromARevision_ReplaysHistoryThenFollowsLiveChanges()
    {
        var first = await Store.PutAsync(P + "w/a", "1"u8.ToArray());
        await Store.PutAsync(P + "other", "x"u8.ToArray());
        await Store.PutAsync(P + "w/b", "2"u8.ToArray());
        using var stop = new CancellationTokenSource(Wait);
        var seen = new List<ClusterWatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Store.WatchAsync(P + "w/", first, stop.Token))
            {
                seen.Add(change);
                if (seen.Count == 4)
                {
                    return;
                }
            }
        });

        await Task.Delay(200);
        await Store.PutAsync(P + "w/c", "3"u8.ToArray());
        var deleted = await Store.CommitAsync(new ClusterTransaction([], [ClusterOperation.Delete(P + "w/a")]));
        await watching.WaitAsync(Wait);

        Assert.Equal(
            ["Put w/a 1", "Put w/b 2", "Put w/c 3", "Delete w/a "],
            seen.Select(e => $"{e.Kind} {e.Entry.Key[P.Length..]} {e.Entry.ValueText}"));
        Assert.Equal(deleted.Revision, seen[3].Entry.ModRevision);
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Entry.ModRevision < pair.Second.Entry.ModRevision));
    }

    [Fact]
    public async Task Watch_FromNow_SeesOnlyLaterChanges()
    {
        await Store.PutAsync(P + "w/old", "1"u8.ToArray());
        using var stop = new CancellationTokenSource(Wait);
        await using var changes = Store.WatchAsync(P + "w/", 0, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = changes.MoveNextAsync().AsTask();

        // Writes until the watch has started; only writes made after it may show, and the old key never does.
        for (var i = 0; !next.IsCompleted && i < 100; i++)
        {
            await Store.PutAsync(P + "w/new", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await Task.WhenAny(next, Task.Delay(50));
        }

        Assert.True(await next);
        Assert.Equal(P + "w/new", changes.Current.Entry.Key);
    }

    [Fact]
    public async Task Watch_FromACompactedRevision_ThrowsCompacted()
    {
        var old = await Store.PutAsync(P + "w/a", "1"u8.ToArray());
        var latest = await Store.PutAsync(P + "w/a", "2"u8.ToArray());
        await CompactAsync(latest);
        using var stop = new CancellationTokenSource(Wait);

        var error = await Assert.ThrowsAsync<ClusterStoreException>(async () =>
        {
            await foreach (var unused in Store.WatchAsync(P + "w/", old, stop.Token))
            {
            }
        });

        Assert.Equal(ClusterStoreError.Compacted, error.Error);
    }

    [Fact]
    public async Task Lease_NotKeptAlive_ExpiresWithItsKeysAndWatchSeesTheDelete()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        await Store.PutAsync(P + "nodes/a", "10.99.0.1"u8.ToArray(), lease);
        var put = await Store.PutAsync(P + "nodes/b", "10.99.0.2"u8.ToArray());
        Assert.Equal(lease, (await Store.GetAsync(P + "nodes/a"))!.Lease);
        using var stop = new CancellationTokenSource(Wait);

        ClusterWatchEvent? gone = null;
        await foreach (var change in Store.WatchAsync(P + "nodes/", put + 1, stop.Token))
        {
            gone = change;
            break;
        }

        Assert.Equal(ClusterWatchEventKind.Delete, gone!.Kind);
        Assert.Equal(P + "nodes/a", gone.Entry.Key);
        Assert.Null(await Store.GetAsync(P + "nodes/a"));
        Assert.NotNull(await Store.GetAsync(P + "nodes/b"));
        var error = await Assert.ThrowsAsync<ClusterStoreException>(() => Store.KeepAliveAsync(lease));
        Assert.Equal(ClusterStoreError.LeaseNotFound, error.Error);
    }

    [Fact]
    public async Task KeepAlive_Renewed_KeepsKeysPastTheTtl()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        await Store.PutAsync(P + "nodes/a", "x"u8.ToArray(), lease);

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(500);
            Assert.True(await Store.KeepAliveAsync(lease) >= TimeSpan.FromSeconds(2));
        }

        Assert.NotNull(await Store.GetAsync(P + "nodes/a"));
        await Store.RevokeLeaseAsync(lease);
    }

    [Fact]
    public async Task Revoke_DeletesTheLeaseKeysAndAnUnknownLeaseIsRefusedOnPut()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        await Store.PutAsync(P + "a", "1"u8.ToArray(), lease);
        await Store.PutAsync(P + "b", "2"u8.ToArray(), lease);

        await Store.RevokeLeaseAsync(lease);
        await Store.RevokeLeaseAsync(lease);

        Assert.Empty((await Store.ListAsync(P)).Entries);
        var error = await Assert.ThrowsAsync<ClusterStoreException>(() => Store.PutAsync(P + "c", "3"u8.ToArray(), lease));
        Assert.Equal(ClusterStoreError.LeaseNotFound, error.Error);
        Assert.Null(await Store.GetAsync(P + "c"));
    }
}
