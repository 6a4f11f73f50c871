using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

/// <summary>
/// docker inspect / container inspect / image inspect: fetch raw JSON (containers first, then images for the
/// untyped form), print a 4-space indented array, or apply -f per object.
/// </summary>
internal sealed class InspectCommand : ICommand
{
    private readonly string? _fixedType;

    public InspectCommand(string name, string? fixedType)
    {
        Name = name;
        _fixedType = fixedType;
    }

    public string Name { get; }

    public string Usage => Name + " [OPTIONS] NAME|ID [NAME|ID...]";

    public string Description => _fixedType switch
    {
        "container" => "Display detailed information on one or more containers",
        "image" => "Display detailed information on one or more images",
        _ => "Return low-level information on Docker objects",
    };

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", 'f', "Format output using a custom template"),
        OptionSpec.Value("type", null, "Only inspect objects of the given type"),
        OptionSpec.Flag("size", 's', "Display total file sizes if the type is container"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException($"\"wharf {Name}\" requires at least 1 argument.", 1);
        }

        var type = _fixedType ?? args.Value("type");
        var size = args.Flag("size");
        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var target in args.Positionals)
        {
            var element = await TryGetAsync(type is null or "container" ? () => context.Client.Containers.InspectRawAsync(target, size, cancellationToken) : null).ConfigureAwait(false)
                ?? await TryGetAsync(type is null or "image" ? () => context.Client.Images.InspectRawAsync(target, cancellationToken) : null).ConfigureAwait(false);
            if (element is { } value)
            {
                found.Add(value);
            }
            else
            {
                errors.Add(type switch
                {
                    "container" => "Error: No such container: " + target,
                    "image" => "Error: No such image: " + target,
                    _ => "Error: No such object: " + target,
                });
            }
        }

        return await InspectOutput.WriteAsync(context, args, found, errors).ConfigureAwait(false);
    }

    private static async Task<JsonElement?> TryGetAsync(Func<Task<JsonElement>>? inspect)
    {
        if (inspect is null)
        {
            return null;
        }

        try
        {
            return await inspect().ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
