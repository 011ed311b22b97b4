namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that also serve the app over Kestrel (<see cref="PortalFactory.WithKestrel"/>) build the minimal-hosting
/// app twice. WebApplicationFactory finds the app's builder through a process-wide diagnostic listener, so two
/// factories starting at the same moment can catch each other's builder (seen as a Kestrel host with no address
/// under load). These tests therefore run on their own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealHttpCollection
{
    public const string Name = "Real HTTP (Kestrel)";
}
