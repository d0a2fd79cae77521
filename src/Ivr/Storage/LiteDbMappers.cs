using LiteDB;

namespace Hotline.Ivr.Storage;

/// <summary>
/// LiteDB builds a type's mapping on first use into a shared cache, and two threads building the same one at
/// once can leave a half-built mapping behind ("Member X not found on BsonMapper"). Each stored type is
/// mapped once here, under one lock, from its owner's static constructor, before any query uses it.
/// </summary>
internal static class LiteDbMappers
{
    private static readonly Lock s_gate = new();

    public static void Warm<T>() where T : new()
    {
        lock (s_gate) BsonMapper.Global.ToDocument(new T());
    }
}
