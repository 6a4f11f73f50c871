using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Wharf.Core.Cluster;

namespace Wharf.Cluster;

/// <summary><see cref="IClusterStore"/> on etcd v3 over gRPC (the generated clients of the dotnet-etcd package, on our
/// own channels: one per member, TLS with a client certificate when the options say so). Every unary call has a
/// deadline, so an unreachable store turns into <see cref="ClusterStoreError.Unavailable"/> within seconds instead of
/// a hung request; watches reconnect by themselves and resume after the last revision they delivered.</summary>
public sealed partial class EtcdClusterStore : IClusterStore
{
    private readonly EtcdChannels _channels;
    private readonly TimeSpan _callTimeout;

    public EtcdClusterStore(ClusterStoreAddress address, ClusterStoreOptions? options = null, TimeSpan? callTimeout = null)
    {
        _channels = new EtcdChannels(address, options ?? new ClusterStoreOptions());
        _callTimeout = callTimeout ?? TimeSpan.FromSeconds(5);
        Address = address.ToString();
    }

    public string Address { get; }

    public async Task<ClusterEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8(key) };
        var response = await CallAsync((c, o) => new KV.KVClient(c).RangeAsync(request, o).ResponseAsync, cancellationToken);
        return response.Kvs.Count == 0 ? null : ToEntry(response.Kvs[0]);
    }

    public async Task<ClusterRange> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var (key, end) = PrefixRange(prefix);
        var request = new RangeRequest { Key = key, RangeEnd = end, SortOrder = RangeRequest.Types.SortOrder.Ascend };
        var response = await CallAsync((c, o) => new KV.KVClient(c).RangeAsync(request, o).ResponseAsync, cancellationToken);
        return new ClusterRange(response.Kvs.Select(ToEntry).ToList(), response.Header.Revision);
    }

    public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long lease = 0, CancellationToken cancellationToken = default)
    {
        var request = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFrom(value.Span), Lease = lease };
        var response = await CallAsync((c, o) => new KV.KVClient(c).PutAsync(request, o).ResponseAsync, cancellationToken);
        return response.Header.Revision;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) };
        var response = await CallAsync((c, o) => new KV.KVClient(c).DeleteRangeAsync(request, o).ResponseAsync, cancellationToken);
        return response.Deleted > 0;
    }

    public async Task<ClusterTransactionResult> CommitAsync(ClusterTransaction transaction, CancellationToken cancellationToken = default)
    {
        var request = new TxnRequest();
        request.Compare.AddRange(transaction.Compares.Select(ToCompare));
        request.Success.AddRange(transaction.Success.Select(ToRequestOp));
        request.Failure.AddRange((transaction.Failure ?? []).Select(ToRequestOp));
        var response = await CallAsync((c, o) => new KV.KVClient(c).TxnAsync(request, o).ResponseAsync, cancellationToken);
        return new ClusterTransactionResult(response.Succeeded, response.Header.Revision);
    }

    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var request = new LeaseGrantRequest { TTL = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds)) };
        var response = await CallAsync((c, o) => new Lease.LeaseClient(c).LeaseGrantAsync(request, o).ResponseAsync, cancellationToken);
        return string.IsNullOrEmpty(response.Error)
            ? response.ID
            : throw new ClusterStoreException(ClusterStoreError.Unavailable, $"cluster store {Address}: lease grant refused: {response.Error}");
    }

    public Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken = default) =>
        CallAsync(
            async (channel, options) =>
            {
                // etcd renews leases over a stream; one request and one answer per renewal keeps the call bounded by
                // the deadline like every other call.
                using var call = new Lease.LeaseClient(channel).LeaseKeepAlive(options);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, options.CancellationToken);
                await call.RequestStream.CompleteAsync();
                if (!await call.ResponseStream.MoveNext(options.CancellationToken))
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "lease keep-alive stream ended without an answer"));
                }

                var ttl = call.ResponseStream.Current.TTL;
                return ttl > 0 ? TimeSpan.FromSeconds(ttl) : throw LeaseNotFound(lease);
            },
            cancellationToken);

    public async Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        try
        {
            var request = new LeaseRevokeRequest { ID = lease };
            await CallAsync((c, o) => new Lease.LeaseClient(c).LeaseRevokeAsync(request, o).ResponseAsync, cancellationToken);
        }
        catch (ClusterStoreException e) when (e.Error == ClusterStoreError.LeaseNotFound)
        {
            // Already expired or revoked: the keys are gone, which is what revoking wants.
        }
    }

    public ValueTask DisposeAsync()
    {
        _channels.Dispose();
        return ValueTask.CompletedTask;
    }

    // Runs one call with a deadline against the current member, moving to the next member while members refuse
    // connections; maps gRPC failures to ClusterStoreException once, here.
    private async Task<T> CallAsync<T>(Func<GrpcChannel, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                return await CallOnceAsync(call, cancellationToken);
            }
            catch (ClusterStoreException e) when (round < RefusedRetryDelays.Length && e.InnerException is RpcException rpc && WasRefused(rpc))
            {
                // A refused connection never reached etcd, so asking again is safe. Right after an etcd restart gRPC's
                // subchannel can still be in the back-off of the refusals it saw while etcd was down.
                await Task.Delay(RefusedRetryDelays[round], cancellationToken);
            }
        }
    }

    private static readonly TimeSpan[] RefusedRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)];

    private static bool WasRefused(RpcException e) => e.StatusCode == StatusCode.Unavailable && IsConnectionRefused(e.Status.DebugException);

    private static bool IsConnectionRefused(Exception? e) => e switch
    {
        null => false,
        System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } => true,
        _ => IsConnectionRefused(e.InnerException),
    };

    private async Task<T> CallOnceAsync<T>(Func<GrpcChannel, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        RpcException? last = null;
        for (var attempt = 0; attempt < _channels.Count; attempt++)
        {
            var channel = _channels.Current;
            var options = new CallOptions(deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancellationToken);
            try
            {
                return await call(channel, options);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (IsUnreachable(e))
            {
                last = e;
                _channels.Advance(channel);
            }
            catch (RpcException e)
            {
                throw Map(e);
            }
        }

        throw Unreachable(last!);
    }

    private static bool IsUnreachable(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded;

    private ClusterStoreException Unreachable(RpcException e) =>
        new(ClusterStoreError.Unavailable, $"cluster store {Address} is unreachable: {Describe(e)}", e);

    private ClusterStoreException Map(RpcException e)
    {
        var detail = e.Status.Detail;
        if (detail.Contains("lease not found", StringComparison.OrdinalIgnoreCase))
        {
            return new ClusterStoreException(ClusterStoreError.LeaseNotFound, detail, e);
        }

        if (detail.Contains("compacted", StringComparison.OrdinalIgnoreCase))
        {
            return new ClusterStoreException(ClusterStoreError.Compacted, detail, e);
        }

        return e.StatusCode == StatusCode.InvalidArgument
            ? new ClusterStoreException(ClusterStoreError.InvalidRequest, detail, e)
            : IsUnreachable(e) ? Unreachable(e) : new ClusterStoreException(ClusterStoreError.Unavailable, $"cluster store {Address}: {Describe(e)}", e);
    }

    private static string Describe(RpcException e) => e.StatusCode == StatusCode.DeadlineExceeded
        ? "no answer in time"
        : e.Status.DebugException?.InnerException?.Message ?? e.Status.DebugException?.Message ?? e.Status.Detail;

    private static ClusterStoreException LeaseNotFound(long lease) =>
        new(ClusterStoreError.LeaseNotFound, $"requested lease not found ({lease:x})");

    private static ClusterEntry ToEntry(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease);

    // etcd ranges are [key, range_end): a prefix's end is the prefix with its last byte that is not 0xff incremented
    // (and "\0" — every key — for the empty prefix).
    private static (ByteString Key, ByteString End) PrefixRange(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        if (bytes.Length == 0)
        {
            return (ByteString.CopyFrom(0), ByteString.CopyFrom(0));
        }

        var end = (byte[])bytes.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return (ByteString.CopyFrom(bytes), ByteString.CopyFrom(end.AsSpan(0, i + 1)));
            }
        }

        return (ByteString.CopyFrom(bytes), ByteString.CopyFrom(0));
    }

    private static Compare ToCompare(ClusterCompare compare)
    {
        var result = new Compare
        {
            Key = ByteString.CopyFromUtf8(compare.Key),
            Result = compare.Op switch
            {
                ClusterCompareOp.Equal => Compare.Types.CompareResult.Equal,
                ClusterCompareOp.NotEqual => Compare.Types.CompareResult.NotEqual,
                ClusterCompareOp.Greater => Compare.Types.CompareResult.Greater,
                _ => Compare.Types.CompareResult.Less,
            },
        };
        switch (compare.Target)
        {
            case ClusterCompareTarget.CreateRevision:
                result.Target = Compare.Types.CompareTarget.Create;
                result.CreateRevision = compare.Number;
                break;
            case ClusterCompareTarget.ModRevision:
                result.Target = Compare.Types.CompareTarget.Mod;
                result.ModRevision = compare.Number;
                break;
            case ClusterCompareTarget.Version:
                result.Target = Compare.Types.CompareTarget.Version;
                result.Version = compare.Number;
                break;
            default:
                result.Target = Compare.Types.CompareTarget.Value;
                result.Value = ByteString.CopyFrom(compare.Value ?? []);
                break;
        }

        return result;
    }

    private static RequestOp ToRequestOp(ClusterOperation operation) => operation.Kind switch
    {
        ClusterOperationKind.Put => new RequestOp
        {
            RequestPut = new PutRequest
            {
                Key = ByteString.CopyFromUtf8(operation.Key),
                Value = ByteString.CopyFrom(operation.Value ?? []),
                Lease = operation.Lease,
            },
        },
        ClusterOperationKind.Delete => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(operation.Key) } },
        _ => new RequestOp
        {
            RequestDeleteRange = new DeleteRangeRequest { Key = PrefixRange(operation.Key).Key, RangeEnd = PrefixRange(operation.Key).End },
        },
    };
}
