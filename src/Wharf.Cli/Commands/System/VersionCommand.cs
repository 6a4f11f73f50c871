using System.Runtime.InteropServices;
using System.Text;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.System;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

/// <summary>docker version: a Client block and the server's Engine + component blocks (labels padded to 20).</summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Usage => "version [OPTIONS]";

    public string Description => "Show the Docker version information";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("format", 'f', "Format output using a custom template")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var client = ClientBlock(context);
        SystemVersion? server = null;
        string? error = null;
        try
        {
            server = await context.Client.System.VersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex)
        {
            error = "Error response from daemon: " + ex.Message;
        }
        catch (HttpRequestException)
        {
            error = CliApp.CannotConnectMessage(context.Endpoint);
        }

        if (args.Value("format") is { } format)
        {
            var json = BuildFormatObject(client, server);
            await context.Out.WriteLineAsync(GoTemplate.Parse(GoTemplate.Unescape(format == "json" ? "{{json .}}" : format)).Render(json)).ConfigureAwait(false);
        }
        else
        {
            var text = new StringBuilder();
            text.Append("Client:\n");
            foreach (var (label, value) in client)
            {
                text.Append(Line(" " + label + ":", value));
            }

            if (server is not null)
            {
                text.Append('\n').Append("Server:").Append(server.Platform.Name.Length > 0 ? " " + server.Platform.Name : "").Append('\n');
                text.Append(" Engine:\n");
                text.Append(Line("  Version:", server.Version));
                text.Append(Line("  API version:", $"{server.ApiVersion} (minimum version {server.MinAPIVersion})"));
                text.Append(Line("  Go version:", server.GoVersion));
                text.Append(Line("  Git commit:", server.GitCommit));
                text.Append(Line("  Built:", server.BuildTime));
                text.Append(Line("  OS/Arch:", $"{server.Os}/{server.Arch}"));
                text.Append(Line("  Experimental:", server.Experimental ? "true" : "false"));
                foreach (var component in server.Components.Where(c => c.Name != "Engine"))
                {
                    text.Append(' ').Append(component.Name).Append(":\n");
                    text.Append(Line("  Version:", component.Version));
                    foreach (var (key, value) in (component.Details ?? []).OrderBy(d => d.Key, StringComparer.Ordinal))
                    {
                        text.Append(Line("  " + key + ":", value));
                    }
                }
            }

            await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        }

        if (error is not null)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static List<(string Label, string Value)> ClientBlock(CliContext context) =>
    [
        ("Version", CliVersion.Version),
        ("API version", context.Environment("DOCKER_API_VERSION") ?? EngineClient.DefaultApiVersion),
        (".NET version", RuntimeInformation.FrameworkDescription),
        ("OS/Arch", "linux/" + GoArch(RuntimeInformation.OSArchitecture)),
        ("Context", "default"),
    ];

    /// <summary>tabwriter(minwidth 20, padding 1) as docker's version template uses it.</summary>
    private static string Line(string label, string value) => label.PadRight(Math.Max(20, label.Length + 1)) + value + "\n";

    private static string GoArch(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static global::System.Text.Json.JsonElement BuildFormatObject(List<(string Label, string Value)> client, SystemVersion? server)
    {
        var clientJson = JsonOutput.ObjectOfStrings(client.Select(c => new KeyValuePair<string, string>(c.Label.Replace(" ", "", StringComparison.Ordinal), c.Value)));
        using var buffer = new MemoryStream();
        using (var writer = new global::System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Client");
            clientJson.WriteTo(writer);
            writer.WritePropertyName("Server");
            if (server is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                global::System.Text.Json.JsonSerializer.Serialize(writer, server, ApiJsonContext.Default.SystemVersion);
            }

            writer.WriteEndObject();
        }

        using var doc = global::System.Text.Json.JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }
}
