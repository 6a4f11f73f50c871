using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Images;

/// <summary>wharf push NAME[:TAG]: POST /images/{name}/push with the saved credentials, progress as docker prints it.</summary>
internal sealed class PushCommand : ICommand
{
    public string Name => "image push";

    public IReadOnlyList<string> Aliases { get; } = ["push"];

    public string Usage => "push [OPTIONS] NAME[:TAG]";

    public string Description => "Upload an image to a registry";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        ContentTrust.Option,
        OptionSpec.Flag("all-tags", 'a', "Push all tags of an image to the repository"),
        OptionSpec.Flag("quiet", 'q', "Suppress verbose output"),
        ProgressOption.Option,
        ImagePlatform.Option("Push a platform-specific manifest as a single-platform image to the registry. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        ContentTrust.RefuseVerification(args);
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf push\" requires exactly 1 argument.", 1);
        var mode = args.Flag("quiet") ? ProgressMode.Quiet : ProgressOption.Parse(args);
        var text = args.Positionals[0];
        await ImagePlatform.EnsureAsync(context, [text], args.Values("platform"), cancellationToken).ConfigureAwait(false);
        var reference = ImageRef.Parse(text);
        var explicitTag = text.IndexOf(':', Math.Max(0, text.LastIndexOf('/'))) >= 0;
        var tag = args.Flag("all-tags") || !explicitTag ? "" : reference.Tag ?? "";
        if (!explicitTag && !args.Flag("all-tags")) await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
        if (!explicitTag && !args.Flag("all-tags")) tag = "latest";
        var name = reference.Repository.StartsWith("docker.io/", StringComparison.Ordinal) ? reference.Familiar.Split(':')[0] : reference.Repository;
        var auth = new DockerConfigAuth(context.Environment);
        using var response = await context.Client.Images.PushAsync(name, tag, auth.RegistryAuthHeader(DockerConfigAuth.ServerFor(reference.Repository)), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await ProgressPrinter.PrintAsync(context, body, mode, cancellationToken).ConfigureAwait(false);
        }
        if (args.Flag("quiet")) await context.Out.WriteLineAsync(reference.Repository.StartsWith("docker.io/", StringComparison.Ordinal) ? reference.Familiar : reference.ToString()).ConfigureAwait(false);
        return 0;
    }
}
