namespace Cashout.Portal.Common;

public enum CommandStatus
{
    Succeeded,

    /// <summary>Nothing there, or nothing the caller may see (a merchant never learns another's ids exist).</summary>
    NotFound,

    /// <summary>The caller may see it but not do this (e.g. a merchant calling an admin action).</summary>
    Forbidden,

    /// <summary>A business rule refused it; <see cref="CommandResult.Message"/> says why. Nothing was written.</summary>
    Refused,
}

/// <summary>The outcome of a command that changes state: success, or why not, with a message for people.</summary>
public sealed record CommandResult(CommandStatus Status, string? Code = null, string? Message = null)
{
    public static CommandResult Ok { get; } = new(CommandStatus.Succeeded);

    public static CommandResult NotFound { get; } = new(CommandStatus.NotFound, "not_found", "Not found.");

    public static CommandResult Forbidden { get; } = new(CommandStatus.Forbidden, "forbidden", "You are not allowed to do this.");

    public static CommandResult Refused(string code, string message) => new(CommandStatus.Refused, code, message);

    public bool Succeeded => Status == CommandStatus.Succeeded;
}
