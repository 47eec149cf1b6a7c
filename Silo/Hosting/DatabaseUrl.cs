using Npgsql;

namespace CityArray.Silo.Hosting;

/// <summary>
/// The storage chosen by <c>DATABASE_URL</c>: <c>sqlite:///./data/cityarray.db</c> (embedded, one process)
/// or <c>postgresql://user:password@host:port/dbname</c> (cluster).
/// </summary>
public sealed record DatabaseUrl(DatabaseKind Kind, string ConnectionString, string? SqlitePath)
{
    public const string Default = "sqlite:///./data/cityarray.db";

    public bool IsPostgres => Kind == DatabaseKind.Postgres;

    /// <summary>Parses a DATABASE_URL; throws <see cref="FormatException"/> with a clear reason when it is not usable.</summary>
    public static DatabaseUrl Parse(string? url, string? baseDirectory = null)
    {
        url = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            // sqlite:///relative/or/./path and sqlite:////absolute/path, as SQLAlchemy spells them.
            var path = url["sqlite://".Length..];
            if (path.StartsWith('/')) path = path[1..];
            if (path.Length == 0) throw new FormatException("DATABASE_URL: a sqlite URL needs a file path, e.g. sqlite:///./data/cityarray.db");
            var full = Path.GetFullPath(path, baseDirectory ?? Directory.GetCurrentDirectory());
            return new DatabaseUrl(DatabaseKind.Sqlite, $"Data Source={full}", full);
        }
        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseUrl(DatabaseKind.Postgres, ToNpgsql(new Uri(url)), null);
        }
        throw new FormatException("DATABASE_URL must start with sqlite:/// or postgresql://");
    }

    private static string ToNpgsql(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (string.IsNullOrEmpty(builder.Database)) throw new FormatException("DATABASE_URL: a postgresql URL needs a database name");
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                builder.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true);
            else
                builder[key] = value;
        }
        return builder.ConnectionString;
    }

    /// <summary>The URL with any password masked, for logs.</summary>
    public override string ToString() => Kind == DatabaseKind.Sqlite
        ? $"sqlite ({SqlitePath})"
        : $"postgresql ({new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }})";
}

/// <summary>Which storage backend a <see cref="DatabaseUrl"/> names.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
