using System.Net;
using System.Text.Json;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Registry;

/// <summary>
/// wharf search HOST[:PORT]/TERM: lists the repositories of a registry that serves the catalog API (GET /v2/_catalog)
/// whose name contains TERM, in docker search's table. Registries have no stars or official marks, so those columns
/// are 0 and empty (and the is-official/stars filters keep nothing or everything accordingly).
/// </summary>
internal sealed class SearchCommand : ICommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Name"] = "NAME", ["Description"] = "DESCRIPTION", ["StarCount"] = "STARS", ["IsOfficial"] = "OFFICIAL",
    };

    public string Name => "search";

    public string Usage => "search [OPTIONS] TERM";

    public string Description => "Search a registry for images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided", "filter"),
        OptionSpec.Value("format", null, "Pretty-print search using a Go template"),
        OptionSpec.Value("limit", null, "Max number of search results", "int"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
    ];

    public bool NeedsDaemon => false;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" requires exactly 1 argument.", 1);
        }

        var text = args.Positionals[0];
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : text[..slash];
        if (slash < 0 || !(first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            await context.Err.WriteLineAsync($"wharf search needs a registry that serves the catalog API: wharf search HOST[:PORT]/{text}").ConfigureAwait(false);
            return 1;
        }

        var limit = args.Int("limit") ?? 25;
        if (limit is < 1 or > 100)
        {
            await context.Err.WriteLineAsync(string.Create(global::System.Globalization.CultureInfo.InvariantCulture, $"Error response from daemon: limit {limit} is outside the range of [1, 100]")).ConfigureAwait(false);
            return 1;
        }

        var (official, minStars) = Filters(args.Values("filter"));
        var term = text[(slash + 1)..];
        using var registry = new RegistryHttpClient(first, new DockerConfigAuth(context.Environment), insecure: false);
        List<string>? names;
        try
        {
            names = await CatalogAsync(registry, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await context.Err.WriteLineAsync($"error contacting registry {first}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        if (names is null)
        {
            await context.Err.WriteLineAsync($"Error response from daemon: {first} does not serve the catalog API (GET /v2/_catalog)").ConfigureAwait(false);
            return 1;
        }

        var matches = names.Where(n => n.Contains(term, StringComparison.OrdinalIgnoreCase) && official != true && minStars <= 0)
            .Order(StringComparer.Ordinal).Take(limit)
            .Select(n => JsonOutput.ObjectOfStrings([new("Name", first + "/" + n), new("Description", ""), new("StarCount", "0"), new("IsOfficial", "")]))
            .ToList();
        var format = args.Value("format") ?? "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
        await context.Out.WriteAsync(FormattedWriter.Render(format, Headers, matches)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>is-official=true keeps nothing (no registry marks images official); stars=N keeps nothing for N > 0.</summary>
    private static (bool? Official, int MinStars) Filters(IEnumerable<string> filters)
    {
        bool? official = null;
        var stars = 0;
        foreach (var filter in filters)
        {
            var (key, value) = filter.Split('=', 2) is [var k, var v] ? (k, v) : throw new CliUsageException($"Error: invalid filter '{filter}'", 1);
            switch (key)
            {
                case "is-official":
                    official = bool.TryParse(value, out var o) ? o : throw new CliUsageException($"Error response from daemon: invalid filter 'is-official={value}'", 1);
                    break;
                case "stars":
                    stars = int.TryParse(value, global::System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : throw new CliUsageException($"Error response from daemon: invalid filter 'stars={value}'", 1);
                    break;
                case "is-automated":
                    break;
                default:
                    throw new CliUsageException($"Error response from daemon: invalid filter '{key}'", 1);
            }
        }

        return (official, stars);
    }

    /// <summary>Every repository name, following the catalog's Link pagination; null when there is no catalog.</summary>
    private static async Task<List<string>?> CatalogAsync(RegistryHttpClient registry, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var next = "v2/_catalog?n=1000";
        for (var page = 0; page < 100 && next is not null; page++)
        {
            using var response = await registry.GetAsync(next, ["application/json"], "registry:catalog:*", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed || !response.IsSuccessStatusCode)
            {
                return page == 0 ? null : names;
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("repositories", out var repositories) && repositories.ValueKind == JsonValueKind.Array)
            {
                names.AddRange(repositories.EnumerateArray().Select(r => r.GetString()).OfType<string>());
            }

            next = response.Headers.TryGetValues("Link", out var links) && links.FirstOrDefault() is { } link && link.IndexOf('<', StringComparison.Ordinal) is var open and >= 0
                ? link[(open + 1)..link.IndexOf('>', StringComparison.Ordinal)].TrimStart('/')
                : null;
        }

        return names;
    }
}
