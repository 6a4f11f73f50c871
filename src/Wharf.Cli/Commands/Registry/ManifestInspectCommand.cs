using System.Net;
using System.Text.Json;
using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Registry;

/// <summary>wharf manifest inspect NAME[:TAG|@DIGEST]: fetches the manifest (or index) from the registry itself, as
/// docker's CLI does, and prints it indented with tabs like docker; -v adds the reference and descriptor.</summary>
internal sealed class ManifestInspectCommand : ICommand
{
    private static readonly string[] Accept =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public string Name => "manifest inspect";

    public string Usage => "manifest inspect [OPTIONS] [MANIFEST_LIST] MANIFEST";

    public string Description => "Display an image manifest, or manifest list";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("insecure", null, "Allow communication with an insecure registry"),
        OptionSpec.Flag("verbose", 'v', "Output additional info including layers and platform"),
    ];

    public bool NeedsDaemon => false;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count is < 1 or > 2)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" requires at least 1 and at most 2 arguments.", 1);
        }

        if (args.Positionals.Count == 2)
        {
            await context.Err.WriteLineAsync("locally stored manifest lists (wharf manifest create) are not supported; inspect the image by its reference").ConfigureAwait(false);
            return 1;
        }

        var text = args.Positionals[0];
        if (!ImageRef.IsValid(text))
        {
            await context.Err.WriteLineAsync($"invalid reference format: {text}").ConfigureAwait(false);
            return 1;
        }

        var reference = ImageRef.Parse(text);
        var (host, path) = RegistryLocation(reference.Repository);
        using var registry = new RegistryHttpClient(host, new DockerConfigAuth(context.Environment), args.Flag("insecure"));
        HttpResponseMessage response;
        try
        {
            response = await registry.GetAsync($"v2/{path}/manifests/{reference.Digest ?? reference.Tag}", Accept, $"repository:{path}:pull", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // Not the daemon: the registry itself could not be reached.
            await context.Err.WriteLineAsync($"error contacting registry {host}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using var ownedResponse = response;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await context.Err.WriteLineAsync("no such manifest: " + reference.Familiar).ConfigureAwait(false);
            return 1;
        }

        if (!response.IsSuccessStatusCode)
        {
            await context.Err.WriteLineAsync($"{reference.Familiar}: registry answered {(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
            return 1;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var manifest = JsonDocument.Parse(body);
        if (!args.Flag("verbose"))
        {
            await context.Out.WriteLineAsync(TabIndented(manifest.RootElement, null)).ConfigureAwait(false);
            return 0;
        }

        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First()
            : "sha256:" + Convert.ToHexStringLower(global::System.Security.Cryptography.SHA256.HashData(body));
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        await context.Out.WriteLineAsync(TabIndented(manifest.RootElement, (reference.ToString(), mediaType, digest, body.Length))).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Registry host and repository path: docker.io names go to Docker Hub's registry host.</summary>
    internal static (string Host, string Path) RegistryLocation(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var host = repository[..slash];
        return (host == "docker.io" ? "registry-1.docker.io" : host, repository[(slash + 1)..]);
    }

    /// <summary>The manifest as docker prints it (json.MarshalIndent with a tab); verbose wraps it with its reference
    /// and descriptor, under SchemaV2Manifest or OCIManifest as docker names them.</summary>
    internal static string TabIndented(JsonElement manifest, (string Ref, string MediaType, string Digest, long Size)? verbose)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1, Encoder = global::System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (verbose is var (reference, mediaType, digest, size))
            {
                writer.WriteStartObject();
                writer.WriteString("Ref", reference);
                writer.WriteStartObject("Descriptor");
                writer.WriteString("mediaType", mediaType);
                writer.WriteString("digest", digest);
                writer.WriteNumber("size", size);
                writer.WriteEndObject();
                writer.WritePropertyName(mediaType.Contains("oci", StringComparison.Ordinal) ? "OCIManifest" : "SchemaV2Manifest");
                manifest.WriteTo(writer);
                writer.WriteEndObject();
            }
            else
            {
                manifest.WriteTo(writer);
            }
        }

        return global::System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
