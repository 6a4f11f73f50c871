using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;
using Wharf.Core.Cluster;

namespace Wharf.Cluster;

public sealed partial class EtcdClusterStore
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    public async IAsyncEnumerable<ClusterWatchEvent> WatchAsync(
        string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (key, end) = PrefixRange(prefix);
        var next = fromRevision;
        var delay = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var channel = _channels.Current;
            using (var call = new Watch.WatchClient(channel).Watch(new CallOptions(cancellationToken: cancellationToken)))
            {
                var create = new WatchCreateRequest { Key = key, RangeEnd = end, StartRevision = next };
                var step = await StepAsync(() => call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }), cancellationToken);
                while (step is null)
                {
                    var (response, error) = await ReadAsync(call.ResponseStream, cancellationToken);
                    if (error is not null || response is null)
                    {
                        step = error ?? new RpcException(new Status(StatusCode.Unavailable, "watch stream ended"));
                        break;
                    }

                    if (response.CompactRevision > 0)
                    {
                        throw new ClusterStoreException(
                            ClusterStoreError.Compacted,
                            $"required revision {next} has been compacted (through {response.CompactRevision - 1})");
                    }

                    if (response.Canceled)
                    {
                        throw new ClusterStoreException(
                            ClusterStoreError.Unavailable, $"cluster store {Address} cancelled the watch: {response.CancelReason}");
                    }

                    if (response.Created)
                    {
                        delay = FirstRetry;
                        // A watch "from now" resumes, after a reconnect, right after the revision it was created at.
                        next = next == 0 ? response.Header.Revision + 1 : next;
                    }

                    foreach (var change in response.Events)
                    {
                        next = change.Kv.ModRevision + 1;
                        yield return ToEvent(change);
                    }
                }

                if (step is RpcException { StatusCode: not (StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded) } fatal)
                {
                    throw Map(fatal);
                }
            }

            // The member is down or the connection broke: try the next member after a pause, from where we were.
            _channels.Advance(channel);
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    private static ClusterWatchEvent ToEvent(Mvccpb.Event change) => change.Type == Mvccpb.Event.Types.EventType.Put
        ? new ClusterWatchEvent(ClusterWatchEventKind.Put, ToEntry(change.Kv))
        : new ClusterWatchEvent(
            ClusterWatchEventKind.Delete, new ClusterEntry(change.Kv.Key.ToStringUtf8(), [], 0, change.Kv.ModRevision, 0, 0));

    // The iterator cannot yield inside a try with a catch, so the stream operations that may fail run here and hand
    // back their failure as a value; cancellation by the caller still throws.
    private static async Task<RpcException?> StepAsync(Func<Task> operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation();
            return null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e;
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A write on an HTTP/2 stream that etcd's restart broke surfaces as HttpIOException, not RpcException.
            return new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }

    private static async Task<(WatchResponse? Response, RpcException? Error)> ReadAsync(
        IAsyncStreamReader<WatchResponse> stream, CancellationToken cancellationToken)
    {
        try
        {
            return (await stream.MoveNext(cancellationToken) ? stream.Current : null, null);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new RpcException(new Status(StatusCode.Unavailable, e.Message)));
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
