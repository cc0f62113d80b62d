using System.Data;
using Dapper;

namespace Portal.Database;

/// <summary>
/// Npgsql reports an array column's type as <see cref="Array"/>, so Dapper will not hand a
/// <c>uuid[]</c> to a record's <c>Guid[]</c> or <c>IReadOnlyList&lt;Guid&gt;</c> parameter; a handler
/// per type Portal reads lets it. The migrator registers them before anything queries (every
/// service and every store test migrates first).
/// </summary>
public static class DapperTypes
{
    public static void Register()
    {
        SqlMapper.AddTypeHandler(new ArrayHandler<Guid>());
        SqlMapper.AddTypeHandler(new ArrayHandler<string>());
        SqlMapper.AddTypeHandler(new ListHandler<Guid>());
    }

    private sealed class ArrayHandler<T> : SqlMapper.TypeHandler<T[]>
    {
        public override T[] Parse(object value) => (T[])value;

        public override void SetValue(IDbDataParameter parameter, T[]? value) => parameter.Value = value;
    }

    private sealed class ListHandler<T> : SqlMapper.TypeHandler<IReadOnlyList<T>>
    {
        public override IReadOnlyList<T> Parse(object value) => (T[])value;

        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<T>? value) =>
            parameter.Value = value?.ToArray();
    }
}
