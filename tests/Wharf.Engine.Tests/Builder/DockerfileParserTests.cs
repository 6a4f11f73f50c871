using Wharf.Core.Errors;
using Wharf.Engine.Builder;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Parse_ContinuationsCommentsJsonAndFlags_AreUnderstood()
    {
        var text = "# syntax=docker/dockerfile:1\nARG BASE=busybox\nFROM $BASE AS build\n# a comment\nRUN echo a \\\n  # inside\n  && echo b\nCOPY --from=build --chown=1:2 a b /dst/\nCMD [\"cat\", \"/x\"]\n";

        var result = DockerfileParser.Parse(text);

        Assert.Equal(["ARG", "FROM", "RUN", "COPY", "CMD"], result.Select(i => i.Keyword).ToArray());
        Assert.Equal("echo a   && echo b", result[2].Arguments);
        Assert.Equal(5, result[2].Line);
        Assert.Equal("build", result[3].Flags["from"]);
        Assert.Equal("1:2", result[3].Flags["chown"]);
        Assert.Equal("a b /dst/", result[3].Arguments);
        Assert.Equal(["cat", "/x"], result[4].JsonArguments);
    }

    [Fact]
    public void Parse_EscapeDirective_ChangesContinuationCharacter()
    {
        var result = DockerfileParser.Parse("# escape=`\nFROM busybox\nRUN echo c:\\path `\n  done\n");

        Assert.Equal("echo c:\\path   done", result[1].Arguments);
    }

    [Fact]
    public void Parse_Heredoc_CollectsBodyAndQuotedDelimiterDisablesExpansion()
    {
        var result = DockerfileParser.Parse("FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<'END' /greeting\nhello $USER\nEND\n");

        Assert.Equal("echo one\necho two\n", result[1].Heredocs[0].Body);
        Assert.True(result[1].Heredocs[0].Expand);
        Assert.Equal("hello $USER\n", result[2].Heredocs[0].Body);
        Assert.False(result[2].Heredocs[0].Expand);
    }

    [Theory]
    [InlineData("FROM busybox\nFROBNICATE x\n", "line 2: unknown instruction: FROBNICATE")]
    [InlineData("RUN echo\n", "no build stage")]
    [InlineData("FROM busybox\nRUN\n", "line 2: RUN requires at least one argument")]
    [InlineData("", "cannot be empty")]
    [InlineData("FROM busybox\nRUN <<EOF\nnever closed\n", "unterminated heredoc")]
    public void Parse_BadInput_ErrorNamesTheProblem(string text, string expected)
    {
        var error = Assert.Throws<EngineException>(() => DockerfileParser.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_RandomInput_OnlyEverThrowsEngineException()
    {
        var random = new Random(1234);
        const string alphabet = "FROMRUNCOPYADD \\\n\t#[]\"'<<EOF=-${}:+abc`";
        for (var round = 0; round < 2000; round++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var text = (round % 2 == 0 ? "FROM busybox\n" : "") + new string(chars);
            try
            {
                DockerfileParser.Parse(text);
            }
            catch (EngineException)
            {
                // rejected cleanly
            }
        }
    }
}
