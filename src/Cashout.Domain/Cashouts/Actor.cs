namespace Cashout.Domain.Cashouts;

public enum ActorKind
{
    Merchant,
    Admin,

    /// <summary>A background job or automatic rule (submit job, risk rule).</summary>
    System,

    /// <summary>A payout provider, through a webhook or a status poll.</summary>
    Provider,
}

/// <summary>Who or what caused a change, for the timeline and for the rules that depend on it.</summary>
public sealed record Actor(ActorKind Kind, string Id)
{
    public static Actor Merchant(string merchantId) => new(ActorKind.Merchant, merchantId);

    public static Actor Admin(string userId) => new(ActorKind.Admin, userId);

    public static Actor System(string name) => new(ActorKind.System, name);

    public static Actor Provider(string name) => new(ActorKind.Provider, name);

    public override string ToString() => $"{Kind}:{Id}";
}
