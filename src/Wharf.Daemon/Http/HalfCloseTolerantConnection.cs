using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Wharf.Daemon.Http;

/// <summary>Kestrel treats a client's FIN as the end of the whole connection and stops sending. Docker's
/// clients half-close hijacked attach/exec streams on purpose ("no more stdin") and keep reading output. This
/// wrapper hides the FIN from Kestrel's HTTP layer once a request on the connection has been hijacked
/// (<see cref="MarkHijacked"/>); for every other request a FIN still means "client gone", as usual.</summary>
internal sealed class HalfCloseTolerantConnection : ConnectionContext
{
    private const string HijackedKey = "wharf.hijacked";
    private readonly ConnectionContext _inner;
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenRegistration _registration;

    private HalfCloseTolerantConnection(ConnectionContext inner)
    {
        _inner = inner;
        _registration = inner.ConnectionClosed.Register(static state =>
        {
            var self = (HalfCloseTolerantConnection)state!;
            if (!self._inner.Items.ContainsKey(HijackedKey)) self._closed.Cancel();
        }, this);
    }

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware =>
        next => async connection =>
        {
            var wrapped = new HalfCloseTolerantConnection(connection);
            try
            {
                await next(wrapped);
            }
            finally
            {
                await wrapped._registration.DisposeAsync();
                wrapped._closed.Dispose();
            }
        };

    /// <summary>Called by the hijack helper before the 101: from now on a FIN is a half-close, not a disconnect.</summary>
    public static void MarkHijacked(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>() is { } items) items.Items[HijackedKey] = true;
    }

    public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }
    public override IFeatureCollection Features => _inner.Features;
    public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }
    public override System.IO.Pipelines.IDuplexPipe Transport { get => _inner.Transport; set => _inner.Transport = value; }
    public override CancellationToken ConnectionClosed { get => _closed.Token; set { } }
    public override System.Net.EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }
    public override System.Net.EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }
    public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);
    public override void Abort() => _inner.Abort();
    public override ValueTask DisposeAsync() => _inner.DisposeAsync();
}
