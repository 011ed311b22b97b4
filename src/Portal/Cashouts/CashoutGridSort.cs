using MudBlazor;

namespace Cashout.Portal.Cashouts;

/// <summary>Turns a data grid's sort (a column's property name) into the closed set of sorts ListCashouts accepts.</summary>
public static class CashoutGridSort
{
    public static (CashoutSort Sort, bool Descending) From<T>(GridState<T> state)
    {
        var sorted = state.SortDefinitions.FirstOrDefault();
        return sorted is not null && Enum.TryParse<CashoutSort>(sorted.SortBy, out var column)
            ? (column, sorted.Descending)
            : (CashoutSort.CreatedAt, true);
    }
}
