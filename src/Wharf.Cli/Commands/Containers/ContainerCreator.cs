using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Api;
using Wharf.Cli.Commands.Images;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Create with docker's pull policy: "missing" pulls on a 404 from create, "always" first, "never" not at all.</summary>
internal static class ContainerCreator
{
    public static async Task<ContainerCreateResponse> CreateAsync(
        CliContext context, ContainerCreateRequest request, string? name, string pullPolicy, string? platform, CancellationToken cancellationToken)
    {
        if (pullPolicy is not ("missing" or "always" or "never"))
        {
            throw new CliUsageException($"invalid pull option: '{pullPolicy}': must be one of \"always\", \"missing\" or \"never\"");
        }

        var image = request.Image ?? throw new CliUsageException("image required");
        if (pullPolicy == "always")
        {
            await ImagePuller.PullAsync(context, image, platform, context.Err, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await PostCreateAsync(context, request, name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == 404 && pullPolicy == "missing" && ex.Message.Contains("No such image", StringComparison.OrdinalIgnoreCase))
        {
            await context.Err.WriteLineAsync($"Unable to find image '{ImageRef.Parse(image).Familiar}' locally").ConfigureAwait(false);
            await ImagePuller.PullAsync(context, image, platform, context.Err, cancellationToken).ConfigureAwait(false);
            return await PostCreateAsync(context, request, name, platform, cancellationToken).ConfigureAwait(false);
        }
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
