using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace Cashout.Portal.Cashouts;

/// <summary>
/// A cashout grid's filters, sort and page kept in the page's address (issue 17), so a filtered view can be reloaded
/// or shared: the filters and the sort as <see cref="CashoutListQuery"/> writes them, then <c>page</c> (from 1, left
/// out on the first page, so an unfiltered grid keeps its bare address).
/// </summary>
public static class CashoutGridAddress
{
    // A larger page times the largest page size would overflow the grid's row offset: such a page is ignored.
    private const int MaxPage = int.MaxValue / 100;

    /// <summary>The address's filters and sort, and its page (from 0, as the grid counts); anything unrecognised is ignored.</summary>
    public static (CashoutListQuery Query, int Page) Read(NavigationManager navigation)
    {
        var query = new QueryCollection(QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query));
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 1 and <= MaxPage ? number - 1 : 0;
        return (CashoutListQuery.Parse(query), page);
    }

    /// <summary>Writes the grid's state into the address, replacing it: each filter typed or picked is not a page to go back to.</summary>
    public static void Keep(NavigationManager navigation, string path, CashoutListQuery query, int page)
    {
        var relative = path + query.ToQueryString();
        if (page > 0)
        {
            relative = QueryHelpers.AddQueryString(relative, "page", (page + 1).ToString(CultureInfo.InvariantCulture));
        }

        var address = navigation.ToAbsoluteUri(relative).AbsoluteUri;
        if (address != navigation.Uri)
        {
            navigation.NavigateTo(address, replace: true);
        }
    }

    /// <summary>Shows the address's sort in the grid's header (the grid starts on its default sort, newest first).</summary>
    public static async Task ShowSortAsync(MudDataGrid<CashoutRow> grid, CashoutListQuery query)
    {
        if ((query.Sort, query.Descending) != (CashoutSort.CreatedAt, true))
        {
            await grid.SetSortAsync(query.Sort.ToString(), query.Descending ? SortDirection.Descending : SortDirection.Ascending, row => row.Id, comparer: null);
        }
    }
}
