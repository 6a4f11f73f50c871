using System.Globalization;
using Wharf.Cli.Parsing;
using Wharf.Cli.Tls;

namespace Wharf.Cli.Commands.System;

/// <summary>`wharf tls init DIR --san HOST...`: a CA plus server and client certificates, so a secure remote daemon
/// takes two commands (this, then wharfd --tlsverify with the printed flags).</summary>
internal sealed class TlsInitCommand : ICommand
{
    public string Name => "tls init";

    public string Usage => "tls init [OPTIONS] DIR";

    public string Description => "Create a CA, server and client certificates for a TLS-protected daemon";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("san", null, "Name or IP the daemon is reached at (repeatable; localhost and 127.0.0.1 are always added)"),
        OptionSpec.Value("key-size", null, "RSA key size in bits (default 4096, as Docker's guide)"),
        OptionSpec.Value("days", null, "Validity in days (default 365)"),
        OptionSpec.Value("cn", null, "Common name of the server certificate (default: the first --san, else localhost)"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf tls init\" requires exactly 1 argument.", 1);
        }

        var directory = Path.GetFullPath(args.Positionals[0]);
        var sans = args.Values("san").SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var all = sans.Concat(["DNS:localhost", "IP:127.0.0.1", "IP:::1"]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var keySize = args.Int("key-size") ?? 4096;
        if (keySize is < 2048 or > 8192)
        {
            throw new CliUsageException("--key-size must be between 2048 and 8192", 1);
        }

        var days = args.Int("days") ?? 365;
        var commonName = args.Value("cn") ?? (sans.Count > 0 ? sans[0].Split(':')[^1] : "localhost");
        try
        {
            CertificateSet.Write(directory, all, keySize, days, commonName);
        }
        catch (IOException e)
        {
            await context.Err.WriteLineAsync("Error: " + e.Message).ConfigureAwait(false);
            return 1;
        }

        var o = context.Out;
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {string.Join(", ", CertificateSet.FileNames)} to {directory}")).ConfigureAwait(false);
        await o.WriteLineAsync("Daemon:").ConfigureAwait(false);
        await o.WriteLineAsync($"  wharfd --tlsverify --tlscacert={directory}/ca.pem --tlscert={directory}/server-cert.pem --tlskey={directory}/server-key.pem -H tcp://0.0.0.0:2376").ConfigureAwait(false);
        await o.WriteLineAsync("Client:").ConfigureAwait(false);
        await o.WriteLineAsync($"  wharf --tlsverify --tlscacert={directory}/ca.pem --tlscert={directory}/cert.pem --tlskey={directory}/key.pem -H tcp://HOST:2376 version").ConfigureAwait(false);
        await o.WriteLineAsync($"  (or: export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH={directory} DOCKER_HOST=tcp://HOST:2376)").ConfigureAwait(false);
        return 0;
    }
}
