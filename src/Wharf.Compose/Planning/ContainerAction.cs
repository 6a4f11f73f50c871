using Wharf.Api.Containers;
using Wharf.Compose.Model;

namespace Wharf.Compose.Planning;

/// <summary>One step of convergence for one container of a service.</summary>
public sealed record ContainerAction(ContainerActionKind Kind, ServiceConfig Service, int Number, ContainerSummary? Existing, string? ExpectedHash);
