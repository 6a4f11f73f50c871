namespace Wharf.Architecture.Tests;

// The rules below are only as good as the code/comment split they rely on.
public sealed class CSharpCodeTests
{
    [Fact]
    public void StripCommentsAndLiterals_LineAndBlockComments_AreBlanked()
    {
        var code = CSharpCode.StripCommentsAndLiterals("int a; // thread-unsafe\n/* DllImport */ int b;");

        Assert.DoesNotContain("unsafe", code, StringComparison.Ordinal);
        Assert.DoesNotContain("DllImport", code, StringComparison.Ordinal);
        Assert.Contains("int a;", code, StringComparison.Ordinal);
        Assert.Contains("int b;", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var s = \"unsafe \\\" LibraryImport\"; var t = 1;")]
    [InlineData("var s = @\"unsafe \"\" LibraryImport\"; var t = 1;")]
    [InlineData("var s = $\"unsafe {x} LibraryImport\"; var t = 1;")]
    [InlineData("var s = \"\"\"\n unsafe \" LibraryImport\n \"\"\"; var t = 1;")]
    public void StripCommentsAndLiterals_StringLiterals_ContentsBlankedCodeAfterKept(string source)
    {
        var code = CSharpCode.StripCommentsAndLiterals(source);

        Assert.DoesNotContain("unsafe", code, StringComparison.Ordinal);
        Assert.DoesNotContain("LibraryImport", code, StringComparison.Ordinal);
        Assert.Contains("var t = 1;", code, StringComparison.Ordinal);
    }

    [Fact]
    public void StripCommentsAndLiterals_CharLiteralQuote_DoesNotOpenAString()
    {
        var code = CSharpCode.StripCommentsAndLiterals("var q = '\"'; unsafe { }");

        Assert.Contains("unsafe { }", code, StringComparison.Ordinal);
    }

    [Fact]
    public void StripCommentsAndLiterals_MultiLineComment_KeepsLineNumbers()
    {
        const string Source = "a\n/* x\ny */\nb";

        var code = CSharpCode.StripCommentsAndLiterals(Source);

        Assert.Equal(Source.Split('\n').Length, code.Split('\n').Length);
        Assert.Equal("b", code.Split('\n')[3]);
    }
}
