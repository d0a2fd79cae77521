using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hotline.Media.Mixing;

/// <summary>
/// The per-sample loops of the mixer, each in a vectorised form (System.Numerics.Vector&lt;T&gt;:
/// widen 16 → 32 bit, add, narrow back with saturation) and a plain scalar form. The scalar forms
/// are the reference the vectorised ones are tested against and the fallback where SIMD is absent.
/// Spans may have any length; the tail that doesn't fill a vector goes through the scalar loop.
/// </summary>
internal static class MixKernels
{
    /// <summary>Unity gain in the Q12 fixed-point format used by <see cref="ApplyGain"/>.</summary>
    public const int UnityGainQ12 = 1 << 12;

    /// <summary>
    /// Largest accepted gain, 15.0 (+23.5 dB): 32768 × 61440 + 2048 still fits in an int32, so the
    /// vector multiply cannot overflow before the shift.
    /// </summary>
    public const int MaxGainQ12 = 15 * UnityGainQ12;

    /// <summary>total[i] += source[i].</summary>
    public static void Accumulate(Span<int> total, ReadOnlySpan<short> source, bool vectorised)
    {
        total = total[..source.Length];
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && source.Length >= Vector<short>.Count)
        {
            ref short s = ref MemoryMarshal.GetReference(source);
            ref int t = ref MemoryMarshal.GetReference(total);
            int step = Vector<short>.Count, half = Vector<int>.Count;
            for (; i <= source.Length - step; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)i), out Vector<int> lo, out Vector<int> hi);
                (Vector.LoadUnsafe(ref t, (nuint)i) + lo).StoreUnsafe(ref t, (nuint)i);
                (Vector.LoadUnsafe(ref t, (nuint)(i + half)) + hi).StoreUnsafe(ref t, (nuint)(i + half));
            }
        }
        for (; i < source.Length; i++)
            total[i] += source[i];
    }

    /// <summary>total[i] -= source[i].</summary>
    public static void Subtract(Span<int> total, ReadOnlySpan<short> source, bool vectorised)
    {
        total = total[..source.Length];
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && source.Length >= Vector<short>.Count)
        {
            ref short s = ref MemoryMarshal.GetReference(source);
            ref int t = ref MemoryMarshal.GetReference(total);
            int step = Vector<short>.Count, half = Vector<int>.Count;
            for (; i <= source.Length - step; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)i), out Vector<int> lo, out Vector<int> hi);
                (Vector.LoadUnsafe(ref t, (nuint)i) - lo).StoreUnsafe(ref t, (nuint)i);
                (Vector.LoadUnsafe(ref t, (nuint)(i + half)) - hi).StoreUnsafe(ref t, (nuint)(i + half));
            }
        }
        for (; i < source.Length; i++)
            total[i] -= source[i];
    }

    /// <summary>destination[i] = saturate16(total[i] − own[i]): what one participant hears.</summary>
    public static void SubtractSaturate(ReadOnlySpan<int> total, ReadOnlySpan<short> own, Span<short> destination, bool vectorised)
    {
        int n = destination.Length;
        total = total[..n];
        own = own[..n];
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && n >= Vector<short>.Count)
        {
            ref int t = ref MemoryMarshal.GetReference(total);
            ref short o = ref MemoryMarshal.GetReference(own);
            ref short d = ref MemoryMarshal.GetReference(destination);
            int step = Vector<short>.Count, half = Vector<int>.Count;
            for (; i <= n - step; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref o, (nuint)i), out Vector<int> lo, out Vector<int> hi);
                Vector<int> a = Vector.LoadUnsafe(ref t, (nuint)i) - lo;
                Vector<int> b = Vector.LoadUnsafe(ref t, (nuint)(i + half)) - hi;
                Vector.NarrowWithSaturation(a, b).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
            destination[i] = Saturate(total[i] - own[i]);
    }

    /// <summary>destination[i] = saturate16(total[i]).</summary>
    public static void Saturate(ReadOnlySpan<int> total, Span<short> destination, bool vectorised)
    {
        int n = destination.Length;
        total = total[..n];
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && n >= Vector<short>.Count)
        {
            ref int t = ref MemoryMarshal.GetReference(total);
            ref short d = ref MemoryMarshal.GetReference(destination);
            int step = Vector<short>.Count, half = Vector<int>.Count;
            for (; i <= n - step; i += step)
            {
                Vector.NarrowWithSaturation(Vector.LoadUnsafe(ref t, (nuint)i), Vector.LoadUnsafe(ref t, (nuint)(i + half)))
                    .StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
            destination[i] = Saturate(total[i]);
    }

    /// <summary>
    /// destination[i] = saturate16((source[i] × gainQ12 + 2048) >> 12): gain in Q12 with rounding.
    /// <paramref name="gainQ12"/> must lie in [0, <see cref="MaxGainQ12"/>].
    /// </summary>
    public static void ApplyGain(ReadOnlySpan<short> source, Span<short> destination, int gainQ12, bool vectorised)
    {
        int n = source.Length;
        destination = destination[..n];
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && n >= Vector<short>.Count)
        {
            ref short s = ref MemoryMarshal.GetReference(source);
            ref short d = ref MemoryMarshal.GetReference(destination);
            int step = Vector<short>.Count;
            var gain = new Vector<int>(gainQ12);
            var round = new Vector<int>(1 << 11);
            for (; i <= n - step; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)i), out Vector<int> lo, out Vector<int> hi);
                lo = Vector.ShiftRightArithmetic(lo * gain + round, 12);
                hi = Vector.ShiftRightArithmetic(hi * gain + round, 12);
                Vector.NarrowWithSaturation(lo, hi).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
            destination[i] = Saturate((source[i] * gainQ12 + (1 << 11)) >> 12);
    }

    /// <summary>Σ source[i]², the frame energy the talker detector smooths.</summary>
    public static float SumOfSquares(ReadOnlySpan<short> source, bool vectorised)
    {
        int n = source.Length;
        int i = 0;
        float sum = 0;
        if (vectorised && Vector.IsHardwareAccelerated && n >= Vector<short>.Count)
        {
            ref short s = ref MemoryMarshal.GetReference(source);
            int step = Vector<short>.Count;
            Vector<float> acc = Vector<float>.Zero;
            for (; i <= n - step; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)i), out Vector<int> lo, out Vector<int> hi);
                Vector<float> a = Vector.ConvertToSingle(lo), b = Vector.ConvertToSingle(hi);
                acc += a * a + b * b;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++)
            sum += (float)source[i] * source[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Saturate(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);
}
