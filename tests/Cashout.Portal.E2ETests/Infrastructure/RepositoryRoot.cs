namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>Finds the repository root: the first folder above the test binaries that holds the solution.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFile = "Cashout.Portal.sln";

    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} found above {AppContext.BaseDirectory}; run the E2E tests from a checkout of the repository.");
    }
}
