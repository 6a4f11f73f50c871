using Wharf.Registry.Gc;
using Wharf.Registry.Hosting;

namespace Wharf.Registry;

/// <summary>wharf-registry serve | garbage-collect.</summary>
internal static class Program
{
    private const string Usage = """
        Usage: wharf-registry COMMAND [OPTIONS]

        Commands:
          serve             Run the registry (default: 127.0.0.1:5000, no auth, plain HTTP)
          garbage-collect   Delete blobs no manifest references (run while stopped or --read-only)

        Options:
          -c, --config FILE     JSON config file (flags override it)
          -l, --listen ADDR     host:port to listen on
          -r, --root DIR        storage root (filesystem driver)
              --storage NAME    filesystem (default) or inmemory
              --tls-cert FILE   PEM certificate; with --tls-key serves HTTPS
              --tls-key FILE    PEM private key
              --auth MODE       none, htpasswd or token (token needs --htpasswd; /metrics is behind auth too)
              --htpasswd FILE   bcrypt htpasswd file (implies --auth htpasswd)
              --token-realm URL token endpoint to advertise (default: this server's /token)
              --token-secret S  HMAC key for tokens (default: random per start)
              --read-only       refuse writes
              --dry-run         garbage-collect: only report what would be deleted
              --upload-max-age D garbage-collect: remove uploads older than D (default 1h; 0s: all)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }
        try
        {
            var rest = args[1..];
            var configIndex = Array.FindIndex(rest, a => a is "--config" or "-c");
            var options = configIndex >= 0 && configIndex + 1 < rest.Length ? RegistryConfigLoader.FromFile(rest[configIndex + 1]) : new RegistryOptions();
            options = RegistryConfigLoader.ApplyFlags(options, rest);
            switch (args[0])
            {
                case "serve":
                    await using (var server = await RegistryServer.StartAsync(options).ConfigureAwait(false))
                    {
                        Console.Error.WriteLine($"wharf-registry listening on {server.BaseAddress}");
                        await server.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    return 0;
                case "garbage-collect":
                    new GarbageCollector(RegistryServer.CreateStorage(options), Console.Out, TimeProvider.System, options.UploadMaxAge).Run(rest.Contains("--dry-run"));
                    return 0;
                default:
                    Console.Error.WriteLine($"wharf-registry: unknown command \"{args[0]}\"\n\n{Usage}");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException or FormatException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"wharf-registry: {e.Message}");
            return 1;
        }
    }
}
