using System.Text.Json;

namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>
/// The last inputs the engine applied, with the seed, so a day (or the last hours of one) can be saved
/// and replayed: the same inputs give the same decisions (<see cref="Replay"/>). Bounded: a replay of a
/// tail starts from the state the tail's first input found, so keep enough for the question asked, or
/// write the log out as it grows (<see cref="Appended"/>).
/// </summary>
public sealed class AcdEventLog(int capacity = 100_000)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly AcdEvent[] _ring = new AcdEvent[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private long _count;

    /// <summary>Raised on the engine's thread for every input applied (e.g. to write it to a file).</summary>
    public event Action<AcdEvent>? Appended;

    public long Count => Interlocked.Read(ref _count);

    public void Append(AcdEvent e)
    {
        lock (_lock)
        {
            _ring[_count % _ring.Length] = e;
            _count++;
        }
        Appended?.Invoke(e);
    }

    /// <summary>The inputs kept, oldest first.</summary>
    public IReadOnlyList<AcdEvent> Events()
    {
        lock (_lock)
        {
            long n = Math.Min(_count, _ring.Length);
            var list = new List<AcdEvent>((int)n);
            for (long i = _count - n; i < _count; i++) list.Add(_ring[i % _ring.Length]);
            return list;
        }
    }

    public static string ToJson(AcdEvent e) => JsonSerializer.Serialize(e, Json);

    public static AcdEvent FromJson(string line) =>
        JsonSerializer.Deserialize<AcdEvent>(line, Json) ?? throw new JsonException("empty event");

    /// <summary>Writes the inputs kept as JSON lines.</summary>
    public void WriteJsonLines(TextWriter writer)
    {
        foreach (var e in Events()) writer.WriteLine(ToJson(e));
    }

    public static List<AcdEvent> ReadJsonLines(TextReader reader)
    {
        var events = new List<AcdEvent>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) events.Add(FromJson(line));
        }
        return events;
    }

    /// <summary>Applies <paramref name="events"/> to a fresh engine seeded with <paramref name="seed"/> and returns every output.</summary>
    public static List<AcdOutput> Replay(ulong seed, IEnumerable<AcdEvent> events)
    {
        var core = new AcdCore(seed);
        var outputs = new List<AcdOutput>();
        foreach (var e in events) core.Apply(e, outputs);
        return outputs;
    }
}
