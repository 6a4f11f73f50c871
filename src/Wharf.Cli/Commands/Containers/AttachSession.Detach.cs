using Wharf.Api.Streams;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Detach keys, watched on our own terminal input as the docker CLI does: on the sequence the session
/// ends at once, and the container (or exec) keeps running.</summary>
internal sealed partial class AttachSession
{
    /// <summary>The sequence to watch for in stdin; null to pass stdin through untouched.</summary>
    public byte[]? DetachSequence { get; init; }

    /// <summary>A copy that watches for <paramref name="keys"/> ("" = ctrl-p,ctrl-q); null keys: no watching.</summary>
    public AttachSession WithDetachKeys(string? keys) =>
        keys is null ? this : new AttachSession(_context, _stream, _tty) { DetachSequence = DetachKeys.Resolve(keys, null) };

    /// <summary>True once the user typed the detach keys.</summary>
    public bool Detached { get; private set; }

    /// <summary>In a raw TTY session, fd 0 itself: .NET's console stdin stream does its own line editing and echo
    /// (and re-configures the terminal for that), which would undo raw mode.</summary>
    private Stream OpenInput() =>
        DetachSequence is not null && _context.StdinIsTerminal
            ? new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0)
            : _context.OpenStdin();

    private async Task CopyStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        if (DetachSequence is null)
        {
            await stdin.CopyToAsync(_stream, cancellationToken).ConfigureAwait(false);
            return;
        }
        var scanner = new DetachKeyScanner(DetachSequence);
        var buffer = new byte[4096];
        var filtered = new byte[buffer.Length + scanner.Slack];
        int n;
        while ((n = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var count = scanner.Filter(buffer.AsSpan(0, n), filtered, out var detached);
            if (count > 0)
            {
                await _stream.WriteAsync(filtered.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            }

            if (detached)
            {
                Detached = true;
                _stream.Dispose(); // ends the output pump too
                return;
            }
        }
    }
}
