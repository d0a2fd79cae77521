using LiteDB;

namespace Hotline.Switch.Store;

/// <summary>
/// The embedded store: one LiteDB file under the data directory. Repositories reach their
/// collections through it; nothing outside the repositories sees LiteDB types, so another backend
/// (PostgreSQL for several nodes) can stand behind the same repository interfaces.
/// </summary>
public sealed class HotlineStore : IDisposable
{
    private readonly LiteDatabase _db;

    public HotlineStore(StorageOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        _db = new LiteDatabase(new ConnectionString { Filename = options.DatabasePath, Connection = ConnectionType.Direct });
    }

    /// <summary>An in-memory store for tests and tools.</summary>
    public HotlineStore(Stream memory, string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _db = new LiteDatabase(memory);
    }

    public string DataDirectory { get; }

    internal ILiteCollection<T> Collection<T>(string name) => _db.GetCollection<T>(name);

    /// <summary>Runs several writes as one transaction.</summary>
    internal void InTransaction(Action work)
    {
        _db.BeginTrans();
        try
        {
            work();
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    public void Dispose() => _db.Dispose();
}
