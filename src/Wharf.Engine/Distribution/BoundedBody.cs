using System.Buffers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Distribution;

/// <summary>Reads a registry response body that the daemon must hold in memory (a manifest, an image config, a tag
/// list, a token, an error) only up to a limit. The registry is not trusted: without a limit a hostile or broken one
/// answers with an endless body and wharfd grows until the kernel kills it. Layers are never read through this; they
/// stream to disk.</summary>
internal static class BoundedBody
{
    /// <summary>Docker's (and the registry's) limit for a manifest or an index.</summary>
    public const int ManifestLimit = 4 * 1024 * 1024;

    /// <summary>An image config is JSON describing the image (history, env, labels): real ones are a few KiB; 8 MiB
    /// leaves room for images with a long history of long commands.</summary>
    public const int ConfigLimit = 8 * 1024 * 1024;

    /// <summary>Tag list pages, token answers and error bodies.</summary>
    public const int SmallLimit = 1024 * 1024;

    /// <summary>The whole body, or an InvalidArgument error naming <paramref name="what"/> as soon as it is known to
    /// exceed <paramref name="limit"/> bytes (from Content-Length, or after reading limit + 1 bytes).</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int limit, string what, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
            throw TooLarge(what, limit);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + n > limit)
                        throw TooLarge(what, limit);
                    body.Write(buffer, 0, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return body.ToArray();
        }
    }

    private static EngineException TooLarge(string what, int limit) =>
        EngineException.Invalid($"{what} too large: exceeds the limit of {limit} bytes");
}
