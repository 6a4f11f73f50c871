using System.IO.Pipes;
using Wharf.Core.Host;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Copies a directory's content (with ownership, modes, times, links) into another directory by streaming
/// it through tar: the archiver reads what .NET cannot (owners), the layer applier writes it safely. The writing
/// side runs confined to the target: the target may be a volume a running container uses and changes meanwhile
/// (Docker's copy-up into an empty volume), and a directory it swaps for a link to the host must lead back inside.</summary>
public static class TreeCopier
{
    /// <param name="sourceDirectory">A tree nothing changes during the copy (a container's rootfs before it starts).</param>
    /// <param name="targetRoot">The directory written into, confined to.</param>
    public static async Task CopyAsync(string sourceDirectory, IRootConfinement confinement, string targetRoot, IFileSystemOps fileOps)
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        await using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var producer = Task.Run(() =>
        {
            using (server) TreeArchiver.Write(server, sourceDirectory, ".", CancellationToken.None);
        });
        try
        {
            await ConfinedStreams.ReadAsync(confinement, targetRoot, client, (inside, input) =>
            {
                new LayerApplier(fileOps).Extract(input, inside, new ExtractionOptions());
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The consumer failed first and closed the pipe; its error is the one that matters.
            }
        }
    }
}
