namespace Wharf.Compose.Planning;

public enum ContainerActionKind
{
    /// <summary>No container with this number: create (and start).</summary>
    Create,

    /// <summary>The container's config hash differs from the service's: replace it.</summary>
    Recreate,

    /// <summary>Up to date but not running: start it.</summary>
    Start,

    /// <summary>Up to date and running: nothing to do.</summary>
    Keep,

    /// <summary>Beyond the wanted scale: stop and remove.</summary>
    Remove,
}
