using System.Text.Json;
using Wharf.Cli.Contexts;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

/// <summary>`context inspect [NAME...]`: docker's JSON (Name, Metadata, Endpoints, TLSMaterial, Storage).</summary>
internal sealed class ContextInspectCommand : ICommand
{
    public string Name => "context inspect";

    public string Usage => "context inspect [OPTIONS] [CONTEXT] [CONTEXT...]";

    public string Description => "Display detailed information on one or more contexts";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", 'f', "Format output using a custom template"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var resolver = context.Resolver!;
        var names = args.Positionals.Count > 0 ? args.Positionals : [context.ContextName];
        var inspections = new List<ContextInspection>();
        foreach (var name in names)
        {
            inspections.Add(Inspect(resolver, name));
        }

        if (args.Value("format") is { } format)
        {
            var elements = JsonSerializer.SerializeToElement(inspections, ContextJsonContext.Default.ListContextInspection);
            var template = GoTemplate.Parse(GoTemplate.Unescape(format));
            foreach (var element in elements.EnumerateArray())
            {
                await context.Out.WriteLineAsync(template.Render(element)).ConfigureAwait(false);
            }

            return 0;
        }

        await context.Out.WriteLineAsync(JsonSerializer.Serialize(inspections, IndentedContextJsonContext.Default.ListContextInspection)).ConfigureAwait(false);
        return 0;
    }

    private static ContextInspection Inspect(EndpointResolver resolver, string name)
    {
        if (name == DockerContext.DefaultName)
        {
            return new ContextInspection
            {
                Name = name,
                Metadata = new ContextDescription { Description = "Current WHARF_HOST based configuration" },
                Endpoints = { [ContextStore.EndpointName] = new ContextEndpointMetadata { Host = resolver.DefaultHost } },
                Storage = new ContextStorage { MetadataPath = "<IN MEMORY>", TLSPath = "<IN MEMORY>" },
            };
        }

        var found = resolver.Store.Get(name);
        var inspection = new ContextInspection
        {
            Name = found.Name,
            Metadata = new ContextDescription { Description = found.Description.Length == 0 ? null : found.Description },
            Endpoints = { [ContextStore.EndpointName] = new ContextEndpointMetadata { Host = found.Host, SkipTlsVerify = found.SkipTlsVerify } },
            Storage = new ContextStorage { MetadataPath = resolver.Store.MetadataPath(name), TLSPath = resolver.Store.TlsPath(name) },
        };
        if (found.HasTlsMaterial)
        {
            inspection.TLSMaterial[ContextStore.EndpointName] = found.TlsFiles.ToList();
        }

        return inspection;
    }
}
