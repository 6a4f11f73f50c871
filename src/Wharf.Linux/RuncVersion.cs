namespace Wharf.Linux;

/// <summary>What `runc --version` says about itself: "1.1.5+ds1" and its commit ("" when it names none).</summary>
public sealed record RuncVersion(string Version, string Commit);
