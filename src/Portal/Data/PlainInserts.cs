using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cashout.Portal.Data;

/// <summary>
/// Told of every row <see cref="PlainInserts"/> writes, with the context whose transaction wrote it: the change tracker
/// never sees those rows, so whoever reacts to added entities (the jobs after a commit) learns of them here.
/// </summary>
public interface IPlainInsertObserver : IPortalDbInterceptor
{
    void Inserted(DbContext context, object entity);
}

/// <summary>
/// Inserts an entity as one plain command whose SQL and parameters come from EF Core's model (table and column names,
/// value conversions, complex properties), without the change tracker and the update pipeline. Every cashout
/// transition writes its timeline events, stage email and ledger transaction inside the write lock, and EF Core's
/// SaveChanges was half of a creation's time in the lock (docs/performance.md). Only inside the caller's transaction,
/// so the row commits or rolls back with the change that caused it. The entity is not tracked afterwards: it gets its
/// generated key, and is not to be changed and saved again through the same context.
/// </summary>
public static class PlainInserts
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type), Plan> Plans = new();

    public static async Task InsertAsync<TEntity>(this DbContext db, TEntity entity, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"A plain insert of {typeof(TEntity).Name} must run inside the transaction of the change that causes it.");
        }

        var plan = Plans.GetOrAdd((db.Model, typeof(TEntity)), static (key, db) => Plan.For(db, key.Type), db);
        await using var command = db.CreateCommand(plan.Sql);
        plan.Bind(command, entity);
        if (plan.GeneratedKey is { } key)
        {
            var id = await command.ExecuteScalarAsync(cancellationToken);
            key.SetValue(entity, Convert.ChangeType(id, key.FieldType, CultureInfo.InvariantCulture));
        }
        else
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var observer in Observers(db))
        {
            observer.Inserted(db, entity);
        }
    }

    private static IEnumerable<IPlainInsertObserver> Observers(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<IPlainInsertObserver>() ?? [];

    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, string Parameter);

    /// <summary>One entity type's INSERT: its columns in the model's order, and the key the database generates, if any.</summary>
    private sealed class Plan(string sql, Column[] columns, FieldInfo? generatedKey)
    {
        public string Sql { get; } = sql;

        public FieldInfo? GeneratedKey { get; } = generatedKey;

        public void Bind(DbCommand command, object entity)
        {
            foreach (var column in columns)
            {
                var value = column.Property.GetGetter().GetClrValueUsingContainingEntity(entity);
                command.Parameters.Add(column.Mapping.CreateParameter(command, column.Parameter, value, column.Property.IsNullable));
            }
        }

        public static Plan For(DbContext db, Type type)
        {
            var entityType = db.Model.FindEntityType(type) ?? throw new NotSupportedException($"{type.Name} is not an entity of the model.");
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var key = entityType.FindPrimaryKey()!.Properties;
            var generated = key is [{ ValueGenerated: ValueGenerated.OnAdd } single] ? single : null; // a composite key is the caller's to give
            var columns = new List<Column>();
            foreach (var property in entityType.GetFlattenedProperties())
            {
                if (property == generated)
                {
                    continue;
                }

                if (property.IsShadowProperty() || property.ValueGenerated != ValueGenerated.Never && !property.IsKey()
                    || property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null)
                {
                    throw new NotSupportedException($"{type.Name}.{property.Name} is a shadow or database-generated property: insert {type.Name} through SaveChanges.");
                }

                columns.Add(new Column(property, property.GetRelationalTypeMapping(), "@p" + columns.Count.ToString(CultureInfo.InvariantCulture)));
            }

            var sql = db.GetService<ISqlGenerationHelper>();
            var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
            var values = string.Join(", ", columns.Select(c => c.Parameter));
            var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})";
            if (generated is not null)
            {
                text += $" RETURNING {sql.DelimitIdentifier(generated.GetColumnName(table)!)}";
            }

            var field = generated is null ? null
                : generated.FieldInfo ?? throw new NotSupportedException($"{type.Name}.{generated.Name} has no backing field to receive the generated key.");
            return new Plan(text, [.. columns], field);
        }
    }
}
