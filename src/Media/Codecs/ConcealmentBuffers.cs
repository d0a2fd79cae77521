namespace Hotline.Media.Codecs;

/// <summary>
/// Float buffers a concealer needs only while a loss lasts (tens of milliseconds), lent from a pool per thread.
/// A call's decoders live as long as the call, but on a healthy media worker only a few of its thousands of
/// legs are concealing at any moment, so a buffer per decoder would hold kilobytes per call for nothing, and
/// making it at a leg's first loss would hand the collector one new survivor per leg, minutes into the call.
/// The pool keeps every buffer returned to it: it holds as many as were ever in use at once on its thread
/// (after a stall that can be every leg of a worker, as many as the decoders themselves would have held),
/// so a worker that stalls again conceals with the same buffers instead of allocating and dropping them
/// each time. A buffer returned on another thread (a leg moved between workers mid-loss) joins that
/// thread's pool.
/// </summary>
internal static class ConcealmentBuffers
{
    [ThreadStatic]
    private static Dictionary<int, Stack<float[]>>? t_free;

    public static float[] Rent(int length)
    {
        if (t_free is { } free && free.TryGetValue(length, out var stack) && stack.TryPop(out var buffer))
            return buffer;
        return new float[length];
    }

    public static void Return(float[] buffer)
    {
        var free = t_free ??= [];
        if (!free.TryGetValue(buffer.Length, out var stack))
            free[buffer.Length] = stack = new Stack<float[]>();
        stack.Push(buffer);
    }
}
