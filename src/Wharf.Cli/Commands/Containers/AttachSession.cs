using Wharf.Api.Client;
using Wharf.Api.Streams;

namespace Wharf.Cli.Commands.Containers;

/// <summary>
/// Pumps a hijacked attach stream: output to our stdout/stderr (demultiplexed unless TTY), our stdin into
/// the container when attached, then half-close so the daemon closes the container's stdin.
/// </summary>
internal sealed partial class AttachSession
{
    private readonly CliContext _context;
    private readonly HijackedStream _stream;
    private readonly bool _tty;

    public AttachSession(CliContext context, HijackedStream stream, bool tty)
    {
        _context = context;
        _stream = stream;
        _tty = tty;
    }

    public static async Task<AttachSession> OpenAsync(CliContext context, string containerId, bool stdin, bool stdout, bool stderr, bool tty, CancellationToken cancellationToken)
    {
        var stream = await context.Client.Containers.AttachAsync(containerId, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        return new AttachSession(context, stream, tty);
    }

    /// <summary>Starts pumping; the returned task completes when the daemon closes the output.</summary>
    public Task RunAsync(bool sendStdin, CancellationToken cancellationToken)
    {
        if (sendStdin)
        {
            // Not awaited: reading our stdin may block forever; the session ends with the container's output.
            _ = Task.Run(() => PumpStdinAsync(cancellationToken), CancellationToken.None);
        }
        else
        {
            _stream.CloseWrite();
        }

        return PumpOutputAsync(cancellationToken);
    }

    private async Task PumpStdinAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stdin = OpenInput();
            await using (stdin.ConfigureAwait(false))
            {
                await CopyStdinAsync(stdin, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The container went away while we were still writing: nothing more to deliver.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (!Detached)
            {
                _stream.CloseWrite();
            }
        }
    }

    private async Task PumpOutputAsync(CancellationToken cancellationToken)
    {
        await _context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var stdout = _context.OpenStdout();
        var stderr = _context.OpenStderr();
        try
        {
            if (_tty)
            {
                await _stream.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StdCopy.DemultiplexAsync(_stream, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // Connection reset at the end of the stream is a normal way for attach to finish.
        }
        catch (ObjectDisposedException) when (Detached)
        {
            // the user detached: the stream was closed under us
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _stream.Dispose();
        }
    }
}
