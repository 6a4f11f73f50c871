namespace Wharf.Engine.Builder;

/// <summary>One parsed Dockerfile instruction. <paramref name="Keyword"/> is upper case; <paramref name="Flags"/> are
/// the leading --name=value options (COPY --from, --chown, --chmod; RUN --mount is not supported);
/// <paramref name="Arguments"/> is the rest of the line, continuations joined; <paramref name="JsonArguments"/> is set
/// when that rest is a JSON string array (exec form); <paramref name="Heredocs"/> holds the bodies of
/// &lt;&lt;EOF documents that followed the line, in order; <paramref name="Line"/> is 1-based.</summary>
public sealed record DockerfileInstruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments,
    IReadOnlyList<string>? JsonArguments, IReadOnlyList<Heredoc> Heredocs, int Line)
{
    /// <summary>The instruction as Docker's legacy builder echoes it in "Step N/M : ...".</summary>
    public string Original { get; init; } = "";
}
