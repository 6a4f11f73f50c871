using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Daemon.Endpoints;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;

namespace Wharf.Daemon.Tests;

public sealed class HttpEdgeTests
{
    [Theory]
    [InlineData(ErrorKind.InvalidArgument, 400)]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.NotModified, 304)]
    [InlineData(ErrorKind.NotImplemented, 501)]
    [InlineData(ErrorKind.Unknown, 500)]
    public void StatusFor_MapsEveryCategoryOnce(ErrorKind kind, int status) =>
        Assert.Equal(status, ErrorMiddleware.StatusFor(kind));

    [Fact]
    public void Classify_JsonErrors_Are400_OthersKeepTheirMessage()
    {
        Assert.Equal(400, ErrorMiddleware.Classify(new JsonException("bad")).Status);
        Assert.Equal((404, "No such container: x"), ErrorMiddleware.Classify(EngineException.NoSuchContainer("x")));
        Assert.Equal(500, ErrorMiddleware.Classify(new InvalidOperationException("boom")).Status);
    }

    [Fact]
    public void Classify_KestrelChunkSizeOverflow_Is400_OtherIoErrorsStay500()
    {
        // The shape Kestrel's chunked body parser throws for a chunk size past int.MaxValue.
        var overflow = new IOException("Bad chunk size data.", new OverflowException());
        Assert.Equal((400, "malformed request body: Bad chunk size data."), ErrorMiddleware.Classify(overflow));
        Assert.Equal(500, ErrorMiddleware.Classify(new IOException("disk full")).Status);
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("45s", 45)]
    public void GoDuration_Parses(string text, int seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("ten minutes")]
    [InlineData("9999999999h")]
    [InlineData("99999999999999999999s")]
    public void GoDuration_RejectsOtherText(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999h")]
    [InlineData("-1")]
    public void PruneUntil_ValueBeyondAnyTime_IsInvalidArgument(string value) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => PruneUntil.Parse(value, TimeProvider.System)).Kind);

    [Fact]
    public void FormatTime_IsGoRfc3339Nano()
    {
        var t = new DateTimeOffset(2026, 11, 27, 21, 43, 0, TimeSpan.Zero).AddTicks(1234500);
        Assert.Equal("2026-11-27T21:43:00.12345Z", ContainerMapper.FormatTime(t));
        Assert.Equal("2026-11-27T21:43:00Z", ContainerMapper.FormatTime(t.AddTicks(-1234500)));
        Assert.Equal("2026-11-27T21:43:00.123450000Z", ContainerMapper.FormatLogTime(t));
    }
}
