using AngleSharp.Dom;
using Xunit.Sdk;

namespace Cashout.Portal.ComponentTests.Infrastructure;

/// <summary>Queries rendered markup the way a user perceives it: visible text and named links.</summary>
public static class Markup
{
    /// <summary>Each piece of text a user reads, in document order; icon ligatures (aria-hidden) are left out.</summary>
    public static IReadOnlyList<string> VisibleTexts(this INode root) =>
        (root is IText self ? [self] : root.Descendants<IText>())
            .Where(text => !string.IsNullOrWhiteSpace(text.Data) && !IsHidden(text))
            .Select(text => string.Join(' ', text.Data.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();

    /// <summary>The one link whose visible text is <paramref name="name"/>, in everything a component rendered.</summary>
    public static IElement Link(this INodeList nodes, string name) =>
        Link([.. nodes.OfType<IElement>().SelectMany(e => e.Matches("a[href]") ? [e] : e.QuerySelectorAll("a[href]").AsEnumerable())], name);

    /// <summary>The one link whose visible text is <paramref name="name"/>.</summary>
    public static IElement Link(this IParentNode root, string name) => Link([.. root.QuerySelectorAll("a[href]")], name);

    private static IElement Link(IReadOnlyList<IElement> links, string name)
    {
        var matches = links.Where(link => string.Join(' ', link.VisibleTexts()) == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new XunitException($"Expected one link named '{name}', found {matches.Count}. Links: {string.Join(", ", links.Select(l => $"'{string.Join(' ', l.VisibleTexts())}'"))}");
    }

    /// <summary>The text a user reads in everything a component rendered.</summary>
    public static IReadOnlyList<string> VisibleTexts(this INodeList nodes) => [.. nodes.SelectMany(node => node.VisibleTexts())];

    /// <summary>Where a link leads, resolved against the app's base address (the page's &lt;base href&gt;).</summary>
    public static Uri Target(this IElement link) => Resolve(link.GetAttribute("href"));

    /// <summary>A relative URL (href, form action) as the browser resolves it under the app's &lt;base href&gt;.</summary>
    public static Uri Resolve(string? relative) => new(new Uri(BaseAddress), relative);

    /// <summary>bunit's navigation manager, like the app's &lt;base href="/"&gt;, runs at this address.</summary>
    public const string BaseAddress = "http://localhost/";

    private static bool IsHidden(INode node) =>
        node.GetAncestors().OfType<IElement>().Any(e => e.GetAttribute("aria-hidden") == "true" || e.LocalName is "script" or "style" or "template");
}
