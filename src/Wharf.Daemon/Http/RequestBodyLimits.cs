using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Wharf.Daemon.Http;

/// <summary>How much of a request body the daemon accepts. Most endpoints take a JSON document that some handler reads
/// whole (exec start, container create, network create): without a limit one request with an endless body grows
/// wharfd until the kernel kills it, and every container's supervisor state with it. Those get
/// <see cref="Default"/>. The few endpoints whose body is a stream the daemon consumes as it arrives (a build context,
/// an image archive for load or import, a tar for `docker cp`) are marked with <see cref="AllowStreamingBody"/> and
/// have no limit, as in Docker: their size is bounded by the disk they land on, not by memory.</summary>
internal static class RequestBodyLimits
{
    /// <summary>16 MiB: far above any real JSON request (a container create with a large environment is tens of KiB).</summary>
    public const long Default = 16 * 1024 * 1024;

    public static void Apply(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Limits.MaxRequestBodySize = Default;
    }

    /// <summary>Marks an endpoint whose body is streamed to disk: no size limit (routing applies the metadata).</summary>
    public static TBuilder AllowStreamingBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(StreamingBody.Instance);

    /// <summary>True when the endpoint was marked with <see cref="AllowStreamingBody"/>.</summary>
    public static bool AllowsStreamingBody(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: null };

    private sealed class StreamingBody : IRequestSizeLimitMetadata
    {
        public static readonly StreamingBody Instance = new();

        public long? MaxRequestBodySize => null;
    }
}
