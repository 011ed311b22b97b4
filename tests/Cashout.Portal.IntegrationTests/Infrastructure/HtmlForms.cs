using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Cashout.Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Submits a static-SSR form the way a browser would: reads the page, keeps every field the form carries
/// (antiforgery token, handler name, hidden inputs), fills in the given values and posts it.
/// </summary>
public static class HtmlForms
{
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string pageUrl, string formName, IReadOnlyDictionary<string, string> values)
    {
        var page = await client.GetAsync(pageUrl);
        page.EnsureSuccessStatusCode();
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var form = document.Forms.SingleOrDefault(f => f.Elements.OfType<IHtmlInputElement>().Any(i => i.Name == "_handler" && i.Value == formName))
            ?? throw new InvalidOperationException($"No form named '{formName}' on {pageUrl}.");

        var fields = new List<KeyValuePair<string, string>>();
        foreach (var input in form.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name)))
        {
            if (values.ContainsKey(input.Name!) || (input.Type is "checkbox" or "radio" && !input.IsChecked))
            {
                continue;
            }

            fields.Add(new(input.Name!, input.Value));
        }

        fields.AddRange(values);
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) =>
        (await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync())).Body?.TextContent ?? "";
}
