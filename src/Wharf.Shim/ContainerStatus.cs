namespace Wharf.Shim;

/// <summary>The shim's process state machine: Created -> Starting -> Running -> Exited (or Created ->
/// Starting -> Failed when runc refuses).</summary>
internal enum ContainerStatus
{
    Created,
    Starting,
    Running,
    Exited,
    Failed,
}
