using System.IO.Pipes;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Copies a directory's content (with ownership, modes, times, links) into another directory by streaming
/// it through tar: the archiver reads what .NET cannot (owners), the layer applier writes it safely.</summary>
public static class TreeCopier
{
    public static void Copy(string sourceDirectory, string targetDirectory, IFileSystemOps fileOps)
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var producer = Task.Run(() =>
        {
            try
            {
                TreeArchiver.Write(server, sourceDirectory, ".", CancellationToken.None);
            }
            finally
            {
                server.Dispose();
            }
        });
        try
        {
            new LayerApplier(fileOps).Extract(client, targetDirectory, new ExtractionOptions());
        }
        finally
        {
            client.Dispose();
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // The consumer failed first and closed the pipe; its error is the one that matters.
            }
        }
    }
}
