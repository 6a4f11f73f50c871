using System.IO.Compression;

namespace Wharf.Cli.Commands.Images;

/// <summary>A gzipped copy of a file in the temp directory, deleted on dispose (build --compress).</summary>
internal sealed class GzipFile : IDisposable
{
    private GzipFile(string path) => Path = path;

    public string Path { get; }

    public static async Task<GzipFile> CreateAsync(string source, CancellationToken cancellationToken)
    {
        var file = new GzipFile(source + ".gz");
        try
        {
            var input = File.OpenRead(source);
            await using (input.ConfigureAwait(false))
            {
                var output = File.Create(file.Path);
                await using (output.ConfigureAwait(false))
                {
                    var gzip = new GZipStream(output, CompressionLevel.Fastest);
                    await using (gzip.ConfigureAwait(false))
                    {
                        await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => File.Delete(Path);
}
