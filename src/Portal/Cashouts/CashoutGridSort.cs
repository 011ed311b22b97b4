using Radzen;

namespace Cashout.Portal.Cashouts;

/// <summary>Turns a data grid's sort (a column's property name) into the closed set of sorts ListCashouts accepts.</summary>
public static class CashoutGridSort
{
    public static (CashoutSort Sort, bool Descending) From(LoadDataArgs args)
    {
        var sorted = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
        return sorted is not null && Enum.TryParse<CashoutSort>(sorted.Property, out var column)
            ? (column, sorted.SortOrder == SortOrder.Descending)
            : (CashoutSort.CreatedAt, true);
    }
}
