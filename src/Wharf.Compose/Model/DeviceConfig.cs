namespace Wharf.Compose.Model;

/// <summary>A device mapping: "/dev/x[:/dev/y[:rwm]]" or the long form; Target defaults to Source, Permissions to rwm.</summary>
public sealed record DeviceConfig(string Source, string Target, string Permissions = "rwm");
