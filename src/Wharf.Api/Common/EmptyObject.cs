namespace Wharf.Api.Common;

/// <summary>Docker's `{}` placeholder used as set-member value (ExposedPorts, Volumes, Runtimes...).</summary>
public sealed class EmptyObject;
