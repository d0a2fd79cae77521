using System.Collections.Concurrent;

namespace Hotline.Media.Recording;

/// <summary>
/// Byte buffers of exact frame sizes, rented on the media threads and returned by the writer.
/// A call records a handful of sizes (320, 640, 1,280 bytes), so buckets are found by a short
/// linear scan. Buffers in circulation never exceed the writer's backlog limit plus one batch,
/// so after warm-up renting allocates nothing.
/// </summary>
internal sealed class FramePool
{
    private readonly Lock _gate = new();
    private Bucket[] _buckets = [];
    private long _misses;

    /// <summary>Rents the pool could not serve (a new buffer from the heap): warm-up, or a writer falling behind.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public byte[] Rent(int size)
    {
        var bucket = Find(size) ?? AddBucket(size);
        if (bucket.Buffers.TryDequeue(out var buffer))
            return buffer;
        Interlocked.Increment(ref _misses);
        return new byte[size];
    }

    public void Return(byte[] buffer) => (Find(buffer.Length) ?? AddBucket(buffer.Length)).Buffers.Enqueue(buffer);

    private Bucket? Find(int size)
    {
        foreach (var b in Volatile.Read(ref _buckets))
        {
            if (b.Size == size)
                return b;
        }
        return null;
    }

    private Bucket AddBucket(int size)
    {
        lock (_gate)
        {
            var existing = Find(size);
            if (existing is not null)
                return existing;
            var bucket = new Bucket(size);
            Volatile.Write(ref _buckets, [.. _buckets, bucket]);
            return bucket;
        }
    }

    private sealed class Bucket(int size)
    {
        public int Size { get; } = size;
        public ConcurrentQueue<byte[]> Buffers { get; } = new();
    }
}
