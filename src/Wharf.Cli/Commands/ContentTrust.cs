using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>docker's --disable-content-trust (default true). Wharf never verifies Notary signatures, so trust is always
/// disabled: the flag is accepted as docker scripts pass it, and asking for verification is refused instead of ignored.</summary>
internal static class ContentTrust
{
    public static OptionSpec Option { get; } = OptionSpec.Flag("disable-content-trust", null, "Skip image verification", "true");

    /// <summary>Fails on --disable-content-trust=false: pulling unverified when the user asked for signatures would be a lie.</summary>
    public static void RefuseVerification(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!args.Flag("disable-content-trust", whenAbsent: true))
        {
            throw new CliUsageException(
                "content trust (signed images with Notary) is not supported by wharf, so images cannot be verified; "
                + "drop --disable-content-trust=false, or verify the image's digest yourself and pull it by digest (name@sha256:...)");
        }
    }
}
