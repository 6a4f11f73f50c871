using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>As the docker CLI does: "--security-opt seccomp=&lt;file&gt;" sends the file's content, not its name
/// (the daemon may run elsewhere); "unconfined" and "builtin" pass through.</summary>
internal static class SecurityOptFiles
{
    public static List<string> Load(IReadOnlyList<string> options)
    {
        var result = new List<string>(options.Count);
        foreach (var option in options)
        {
            var sep = option.IndexOf('=', StringComparison.Ordinal);
            if (sep < 0) sep = option.IndexOf(':', StringComparison.Ordinal);
            if (sep < 0 || option[..sep] != "seccomp" || option[(sep + 1)..] is "unconfined" or "builtin")
            {
                result.Add(option);
                continue;
            }
            var file = option[(sep + 1)..];
            string content;
            try
            {
                content = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"opening seccomp profile ({file}) failed: {e.Message}");
            }
            result.Add("seccomp=" + content.Trim());
        }
        return result;
    }
}
