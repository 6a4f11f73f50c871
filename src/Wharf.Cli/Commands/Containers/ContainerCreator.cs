using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Api;
using Wharf.Cli.Commands.Images;
using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Create with docker's pull policy: "missing" pulls on a 404 from create, "always" first, "never" not at all;
/// -q keeps the pull quiet; --use-api-socket mounts the engine's socket and hands over the saved logins.</summary>
internal static class ContainerCreator
{
    public static async Task<ContainerCreateResponse> CreateAsync(CliContext context, ContainerCreateRequest request, ParsedArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(args);
        var pullPolicy = args.Value("pull") ?? "missing";
        var name = args.Value("name");
        var platform = args.Value("platform");
        var quiet = args.Flag("quiet");
        if (pullPolicy is not ("missing" or "always" or "never"))
        {
            throw new CliUsageException($"invalid pull option: '{pullPolicy}': must be one of \"always\", \"missing\" or \"never\"");
        }

        var image = request.Image ?? throw new CliUsageException("image required");
        var config = args.Flag("use-api-socket") ? ApiSocketAccess.Prepare(request, context.Endpoint, new DockerConfigAuth(context.Environment)) : null;
        var pullOutput = quiet ? TextWriter.Null : context.Err;
        if (pullPolicy == "always")
        {
            await ImagePuller.PullAsync(context, image, platform, pullOutput, cancellationToken).ConfigureAwait(false);
        }

        ContainerCreateResponse created;
        try
        {
            created = await PostCreateAsync(context, request, name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == 404 && pullPolicy == "missing" && ex.Message.Contains("No such image", StringComparison.OrdinalIgnoreCase))
        {
            if (!quiet)
            {
                await context.Err.WriteLineAsync($"Unable to find image '{ImageRef.Parse(image).Familiar}' locally").ConfigureAwait(false);
            }

            await ImagePuller.PullAsync(context, image, platform, pullOutput, cancellationToken).ConfigureAwait(false);
            created = await PostCreateAsync(context, request, name, platform, cancellationToken).ConfigureAwait(false);
        }

        if (config is not null)
        {
            await ApiSocketAccess.CopyConfigAsync(context.Client, created.Id, config, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }

    private static async Task<ContainerCreateResponse> PostCreateAsync(CliContext context, ContainerCreateRequest request, string? name, string? platform, CancellationToken cancellationToken)
    {
        var response = await context.Client.Containers.CreateAsync(request, name, platform, cancellationToken).ConfigureAwait(false);
        foreach (var warning in response.Warnings)
        {
            await context.Err.WriteLineAsync("WARNING: " + warning).ConfigureAwait(false);
        }

        return response;
    }
}
