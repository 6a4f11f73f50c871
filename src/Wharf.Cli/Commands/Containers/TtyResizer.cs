using System.Globalization;
using System.Runtime.InteropServices;
using Wharf.Api.Client;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Keeps a remote pty the size of our terminal: once at start and on every SIGWINCH, POSTs
/// the size through <c>resize</c> (a container's or an exec's resize endpoint), as the docker CLI does.</summary>
internal sealed class TtyResizer : IDisposable
{
    private readonly Func<int, int, Task> _resize;
    private readonly PosixSignalRegistration? _registration;

    private TtyResizer(Func<int, int, Task> resize)
    {
        _resize = resize;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, OnWindowChanged);
    }

    /// <summary>Null when our stdout is not a terminal (there is no size to follow).</summary>
    public static TtyResizer? Start(Func<int, int, Task> resize)
    {
        if (Console.IsOutputRedirected) return null;
        var resizer = new TtyResizer(resize);
        _ = resizer.ResizeAsync();
        return resizer;
    }

    /// <summary>[height, width] of our terminal, or null when unknown (for ConsoleSize in create/exec bodies).</summary>
    public static List<int>? CurrentSize()
    {
        if (Console.IsOutputRedirected) return null;
        try
        {
            var (h, w) = (Console.WindowHeight, Console.WindowWidth);
            return h > 0 && w > 0 ? [h, w] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async Task ResizeAsync()
    {
        if (CurrentSize() is not [var h, var w]) return;
        try
        {
            await _resize(h, w).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineApiException or HttpRequestException or IOException)
        {
            // the process may already be gone; a missed resize is harmless
        }
    }

    public void Dispose() => _registration?.Dispose();

    private void OnWindowChanged(PosixSignalContext context) => _ = ResizeAsync();
}
