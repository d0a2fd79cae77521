using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    // One mapper per store, warmed per type before first use: LiteDB registers an entity mapper before it
    // has filled in its members, so two threads mapping a type for the first time can see it half-built
    // ("Member Start not found on BsonMapper").
    private readonly BsonMapper _mapper = new();
    private readonly HashSet<Type> _warmed = [];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _writes = new();

    /// <summary>Characters of a value kept in an indexed field, see <see cref="Indexable"/>.</summary>
    public const int MaxIndexedLength = 255;

    /// <summary>
    /// A value for an indexed field, cut to <see cref="MaxIndexedLength"/> characters: LiteDB refuses a whole
    /// document whose index key is 1,023 bytes or more, and SIP puts no limit on Call-IDs or user parts, so a
    /// peer's 3,000-character Call-ID would otherwise lose the call's record (found by fuzzing).
    /// </summary>
    public static string Indexable(string value) => value.Length > MaxIndexedLength ? value[..MaxIndexedLength] : value;

    public HotlineStore(StorageOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        _db = new LiteDatabase(new ConnectionString { Filename = options.DatabasePath, Connection = ConnectionType.Direct }, _mapper);
    }

    /// <summary>An in-memory store for tests and tools.</summary>
    public HotlineStore(Stream memory, string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _db = new LiteDatabase(memory, _mapper);
    }

    public string DataDirectory { get; }

    internal ILiteCollection<T> Collection<T>(string name)
    {
        lock (_warmed)
        {
            if (_warmed.Add(typeof(T))) _mapper.ToDocument(typeof(T), Activator.CreateInstance(typeof(T), nonPublic: true));
        }
        return _db.GetCollection<T>(name);
    }

    /// <summary>
    /// A collection's write counter, shared by everything that writes it through this store and bumped after
    /// each write: a reader that polls can tell "nothing changed since I looked" without reading the collection.
    /// </summary>
    internal StrongBox<long> WriteCounter(string name) => _writes.GetOrAdd(name, static _ => new StrongBox<long>());

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
