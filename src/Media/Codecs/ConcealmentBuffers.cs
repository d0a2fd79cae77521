namespace Hotline.Media.Codecs;

/// <summary>
/// Float buffers a concealer needs only while a loss lasts (tens of milliseconds), lent from a pool per thread.
/// A call's decoders live as long as the call, but only a few of the thousands of legs on a media worker are
/// concealing at any moment, so a buffer per decoder would hold kilobytes per call for nothing, and making it
/// at a leg's first loss would hand the collector one new survivor per leg, minutes into the call. Each
/// thread keeps at most <see cref="KeptPerSize"/> of each size; a buffer returned on another thread (a leg
/// moved between workers mid-loss) simply joins that thread's pool.
/// </summary>
internal static class ConcealmentBuffers
{
    public const int KeptPerSize = 64;

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
            free[buffer.Length] = stack = new Stack<float[]>(KeptPerSize);
        if (stack.Count < KeptPerSize)
            stack.Push(buffer);
    }
}
