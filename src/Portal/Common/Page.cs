namespace Cashout.Portal.Common;

/// <summary>One page of a longer list, with the total count for the pager.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount)
{
    public static Page<T> Empty { get; } = new([], 0);
}

/// <summary>Which page: rows to skip and how many to take (clamped to a sane size).</summary>
public sealed record PageRequest(int Skip = 0, int Take = 25)
{
    public const int MaxTake = 200;

    public int SafeSkip => Math.Max(0, Skip);

    public int SafeTake => Math.Clamp(Take, 1, MaxTake);
}
