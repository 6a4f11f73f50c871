using System.Text.RegularExpressions;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Naming;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class NamingTests
{
    [Theory]
    [InlineData("web", "web")]
    [InlineData("/web", "web")]
    [InlineData("my_app.v1-2", "my_app.v1-2")]
    [InlineData("a1", "a1")]
    public void Normalize_ValidName_StripsLeadingSlash(string input, string expected)
    {
        Assert.Equal(expected, ContainerNames.Normalize(input));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("_web")]
    [InlineData("web app")]
    [InlineData("web/app")]
    [InlineData("//web")]
    [InlineData("")]
    public void Normalize_InvalidName_ThrowsDockersMessage(string input)
    {
        var e = Assert.Throws<EngineException>(() => ContainerNames.Normalize(input));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"Invalid container name ({input}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.Message);
    }

    [Fact]
    public void Next_FirstTry_IsAdjectiveUnderscoreSurnameAndAValidName()
    {
        var generator = new NameGenerator(new Random(42));
        for (var i = 0; i < 100; i++)
        {
            var name = generator.Next();
            Assert.Matches(new Regex("^[a-z]+_[a-z]+$"), name);
            Assert.True(ContainerNames.IsValid(name));
        }
    }

    [Fact]
    public void Next_Retry_AppendsDigit()
    {
        var name = new NameGenerator(new Random(1)).Next(retry: 1);
        Assert.Matches(new Regex("^[a-z]+_[a-z]+[0-9]$"), name);
    }

    [Fact]
    public void Next_ManyCalls_ProducesVariety()
    {
        var generator = new NameGenerator(new Random(7));
        var names = Enumerable.Range(0, 200).Select(_ => generator.Next()).ToHashSet();
        Assert.True(names.Count > 150, $"only {names.Count} distinct names");
    }

    [Fact]
    public void Generate_CollisionsThenFree_RetriesUntilFree()
    {
        var taken = new List<string>();
        var name = new NameGenerator(new Random(3)).Generate(candidate =>
        {
            taken.Add(candidate);
            return taken.Count <= 3;
        });

        Assert.Equal(4, taken.Count);
        Assert.Equal(taken[^1], name);
        Assert.Matches(new Regex("[0-9]$"), name);
    }

    [Fact]
    public void Generate_EverythingTaken_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new NameGenerator().Generate(_ => true));
    }
}
