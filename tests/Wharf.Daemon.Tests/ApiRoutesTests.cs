using Wharf.Daemon.Endpoints;

namespace Wharf.Daemon.Tests;

public sealed class ApiRoutesTests
{
    [Fact]
    public void Registered_ListsEveryMappedEndpointWithoutTheEngine()
    {
        var routes = ApiRoutes.Registered().Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(routes.Count > 90, $"only {routes.Count} routes");
        Assert.Contains("POST /containers/create", routes);
        Assert.Contains("GET /containers/{id}/logs", routes);
        Assert.Contains("HEAD /_ping", routes);
        Assert.Contains("DELETE /volumes/{name}", routes);
        Assert.Equal(routes.Count, routes.Distinct().Count());
        Assert.DoesNotContain(routes, r => r.Contains("{*path", StringComparison.Ordinal)); // the fallback is no route
    }
}
