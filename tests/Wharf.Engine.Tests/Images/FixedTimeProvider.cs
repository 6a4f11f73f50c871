namespace Wharf.Engine.Tests.Images;

/// <summary>A clock that says what the test tells it to, so image ids (which hash the creation time) are stable.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
