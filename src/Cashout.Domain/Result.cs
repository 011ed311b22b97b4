namespace Cashout.Domain;

/// <summary>
/// The outcome of an operation that can be refused for a business reason. Refusals are ordinary
/// answers (a decline, an invalid transition), so they are values, not exceptions.
/// </summary>
public sealed class Result<TValue, TError>
{
    private readonly TValue? value;
    private readonly TError? error;

    private Result(TValue? value, TError? error, bool isSuccess)
    {
        this.value = value;
        this.error = error;
        IsSuccess = isSuccess;
    }

    public bool IsSuccess { get; }

    public bool IsFailure => !IsSuccess;

    public TValue Value => IsSuccess
        ? value!
        : throw new InvalidOperationException($"The operation failed ({error}); there is no value.");

    public TError Error => IsFailure
        ? error!
        : throw new InvalidOperationException("The operation succeeded; there is no error.");

    public static Result<TValue, TError> Success(TValue value) => new(value, default, isSuccess: true);

    public static Result<TValue, TError> Failure(TError error) => new(default, error, isSuccess: false);

    public static implicit operator Result<TValue, TError>(TValue value) => Success(value);

    public static implicit operator Result<TValue, TError>(TError error) => Failure(error);
}

/// <summary>A refusal with a stable machine-readable code and a message a person can read.</summary>
public sealed record DomainError(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
