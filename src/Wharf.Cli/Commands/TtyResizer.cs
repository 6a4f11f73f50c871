using System.Globalization;
using System.Runtime.InteropServices;
using Wharf.Api.Client;

namespace Wharf.Cli.Commands;

/// <summary>Keeps a remote pty the size of our terminal: once at start and on every SIGWINCH, POSTs
/// "&lt;resizePath&gt;?h=&amp;w=" (containers/{id}/resize or exec/{id}/resize), as the docker CLI does.</summary>
internal sealed class TtyResizer : IDisposable
{
    private readonly EngineClient _client;
    private readonly string _resizePath;
    private readonly PosixSignalRegistration? _registration;

    private TtyResizer(EngineClient client, string resizePath)
    {
        _client = client;
        _resizePath = resizePath;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, OnWindowChanged);
    }

    /// <summary>Null when our stdout is not a terminal (there is no size to follow).</summary>
    public static TtyResizer? Start(EngineClient client, string resizePath)
    {
        if (Console.IsOutputRedirected) return null;
        var resizer = new TtyResizer(client, resizePath);
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
            await _client.PostAsync(string.Create(CultureInfo.InvariantCulture, $"{_resizePath}?h={h}&w={w}")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineApiException or HttpRequestException or IOException)
        {
            // the process may already be gone; a missed resize is harmless
        }
    }

    public void Dispose() => _registration?.Dispose();

    private void OnWindowChanged(PosixSignalContext context) => _ = ResizeAsync();
}
