using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>POST /images/create?fromImage=… and renders the progress stream.</summary>
internal static class ImagePuller
{
    /// <summary>docker sends base64url("{}") when it has no credentials for the registry.</summary>
    private const string EmptyRegistryAuth = "e30=";

    public static async Task PullAsync(CliContext context, string reference, string? platform, TextWriter progress, CancellationToken cancellationToken,
        bool allTags = false, ProgressMode mode = ProgressMode.Auto)
    {
        var image = ImageRef.Parse(reference);
        // No tag at all asks the daemon for every tag of the repository (pull -a).
        var saved = new Wharf.Cli.Registry.DockerConfigAuth(context.Environment).RegistryAuthHeader(Wharf.Cli.Registry.DockerConfigAuth.ServerFor(image.Repository));
        using var response = await context.Client.Images.PullAsync(
            image.Repository, allTags ? null : image.Digest ?? image.Tag, platform, saved.Length > 0 ? saved : EmptyRegistryAuth, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var bars = progress == context.Out && ProgressOption.DrawsBars(mode, context.OutIsTerminal);
            await ProgressPrinter.PrintAsync(body, mode == ProgressMode.Quiet ? TextWriter.Null : progress, cancellationToken, bars, context.TerminalWidth, context.Time).ConfigureAwait(false);
        }
    }
}
