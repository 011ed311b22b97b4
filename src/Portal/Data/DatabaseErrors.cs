using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cashout.Portal.Data;

/// <summary>What a database error means for a use case, whichever engine raised it.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// A constraint refused the write (a unique index, the non-negative balance check): the last line behind the rules,
    /// reached only when two writers raced past them.
    /// </summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsConstraintViolation(inner),
        SqliteException { SqliteErrorCode: 19 } => true, // SQLITE_CONSTRAINT
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation } => true,
        _ => false,
    };
}
