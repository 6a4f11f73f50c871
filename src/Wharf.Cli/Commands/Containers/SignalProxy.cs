using System.Runtime.InteropServices;
using Wharf.Api.Client;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT received by the CLI to the container (docker's sig-proxy).</summary>
internal sealed class SignalProxy : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalProxy(EngineClient client, string containerId)
    {
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "INT"), (PosixSignal.SIGTERM, "TERM"), (PosixSignal.SIGHUP, "HUP"), (PosixSignal.SIGQUIT, "QUIT") })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                _ = ForwardAsync(client, containerId, name);
            }));
        }
    }

    private static async Task ForwardAsync(EngineClient client, string containerId, string signal)
    {
        try
        {
            await client.Containers.KillAsync(containerId, signal).ConfigureAwait(false);
        }
        catch (EngineApiException)
        {
            // Container already stopped: nothing to forward to.
        }
        catch (HttpRequestException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
