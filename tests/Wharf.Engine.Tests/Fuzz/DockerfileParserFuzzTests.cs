using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Builder;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>Random and mutated Dockerfiles (fixed seeds, so a failure replays) through the parser and the variable
/// expander: a result or an <see cref="EngineException"/> naming a line, never any other exception, never a hang.</summary>
public sealed class DockerfileParserFuzzTests
{
    private const string Valid = """
        # syntax=docker/dockerfile:1
        # escape=\
        ARG BASE=busybox
        FROM ${BASE:-busybox} AS build
        ENV A=1 B="two words" \
            C=${A:+set}
        RUN echo "$A" && \
            echo b
        RUN <<EOF
        echo heredoc
        EOF
        COPY --chown=1:2 --chmod=755 a b /dst/
        COPY <<-'END' /file
        	body $A
        END
        ADD ["x.tar", "/x/"]
        HEALTHCHECK --interval=5s CMD ["true"]
        ONBUILD RUN echo hi
        SHELL ["/bin/sh", "-c"]
        EXPOSE 80/tcp 53/udp
        VOLUME ["/data"]
        USER 1000:1000
        WORKDIR /app
        STOPSIGNAL SIGTERM
        LABEL a=b "c d"=e
        FROM build
        CMD ["sh"]
        ENTRYPOINT exec sh
        """;

    private static readonly string[] Fragments =
    [
        "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "ONBUILD", "HEALTHCHECK", "SHELL", "LABEL", "BOGUS", "--from=", "--chown=",
        "<<EOF", "<<-'X'", "EOF", "X", "\\", "`", "\n", "\r\n", "\t", " ", "#", "# escape=`", "[", "]", "\"", "'", "${", "}",
        "$", ":-", ":+", "=", "AS", "scratch", "busybox", "[\"a\",", "{}", "\0", "é",
    ];

    [Fact]
    public void Parse_RandomFragments_ResultOrEngineError()
    {
        var seed = FuzzSettings.Seed(1234);
        var random = new Random(seed);
        for (var round = 0; round < FuzzSettings.Rounds(3000); round++)
        {
            var text = new StringBuilder();
            for (var count = random.Next(1, 40); count > 0; count--) text.Append(Fragments[random.Next(Fragments.Length)]).Append(random.Next(3) == 0 ? " " : "");
            Check(text.ToString(), $"seed {seed} round {round}");
        }
    }

    [Fact]
    public void Parse_MutatedValidDockerfile_ResultOrEngineError()
    {
        Assert.NotEmpty(DockerfileParser.Parse(Valid));
        var seed = FuzzSettings.Seed(5678);
        var random = new Random(seed);
        for (var round = 0; round < FuzzSettings.Rounds(3000); round++)
        {
            var text = new StringBuilder(Valid);
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at)); break;
                    case 1: text.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                    case 2: text[at] = (char)random.Next(1, 128); break;
                    default: text.Insert(at, Valid.AsSpan(random.Next(Valid.Length / 2), random.Next(1, 40))); break;
                }
            }
            Check(text.ToString(), $"seed {seed} round {round}");
        }
    }

    [Fact]
    public void Expand_RandomText_ResultOrEngineError()
    {
        var random = new Random(FuzzSettings.Seed(91));
        string? Lookup(string name) => name.Length % 3 == 0 ? null : name.Length % 3 == 1 ? "" : "v";
        for (var round = 0; round < FuzzSettings.Rounds(5000); round++)
        {
            var text = new StringBuilder();
            for (var count = random.Next(1, 20); count > 0; count--) text.Append(Fragments[random.Next(Fragments.Length)]);
            try
            {
                VariableExpander.Expand(text.ToString(), Lookup, random.Next(2) == 0 ? '\\' : '`');
            }
            catch (EngineException)
            {
            }
        }
    }

    private static void Check(string text, string round)
    {
        try
        {
            var instructions = DockerfileParser.Parse(text);
            Assert.All(instructions, i => Assert.InRange(i.Line, 1, text.Split('\n').Length));
            foreach (var onbuild in instructions.Where(i => i.Keyword == "ONBUILD")) DockerfileParser.ParseTriggers([onbuild.Arguments]);
        }
        catch (EngineException e)
        {
            Assert.True(e.Kind == ErrorKind.InvalidArgument, $"{round}: {e.Kind} {e.Message}");
        }
        catch (Exception e)
        {
            Assert.Fail($"{round}: {e.GetType().Name}: {e.Message}\n--- input\n{text}\n{e.StackTrace}");
        }
    }
}
