using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hotline.Media.Codecs;

/// <summary>
/// The 24-tap quadrature mirror filters of ITU-T G.722 (§3.2 transmit, §4.4 receive), in polyphase form.
/// Both filters take, for each sample pair k, the 24 newest samples of a delay line and sum the even taps
/// and the odd taps apart. Kept as two contiguous lines, one of even-position and one of odd-position
/// values (11 of history, then the block), each sum is a 12-tap FIR over one line, so eight consecutive
/// pairs are computed at once with vectors. Integer products and sums, bit-exact with the scalar loop.
/// </summary>
internal static class G722Qmf
{
    /// <summary>Values of each line kept from the previous block.</summary>
    public const int History = 11;

    /// <summary>
    /// For k &lt; <paramref name="count"/>: even[k] = Σ line_e[k+i]·h[i] and odd[k] = Σ line_o[k+i]·h[11−i],
    /// h = h0, h2, …, h22 (<see cref="G722Tables.Qmf"/>).
    /// </summary>
    public static void Filter(ReadOnlySpan<int> evenLine, ReadOnlySpan<int> oddLine, Span<int> even, Span<int> odd, int count)
    {
        if ((uint)count > (uint)even.Length || count > odd.Length || evenLine.Length < count + History || oddLine.Length < count + History)
            throw new ArgumentOutOfRangeException(nameof(count));
        ReadOnlySpan<int> h = G722Tables.Qmf;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int e = ref MemoryMarshal.GetReference(evenLine);
            ref int o = ref MemoryMarshal.GetReference(oddLine);
            ref int se = ref MemoryMarshal.GetReference(even);
            ref int so = ref MemoryMarshal.GetReference(odd);
            for (; k <= count - Vector256<int>.Count; k += Vector256<int>.Count)
            {
                var sumEven = Vector256<int>.Zero;
                var sumOdd = Vector256<int>.Zero;
                for (int i = 0; i < 12; i++)
                {
                    sumEven += Vector256.LoadUnsafe(ref e, (nuint)(k + i)) * Vector256.Create(h[i]);
                    sumOdd += Vector256.LoadUnsafe(ref o, (nuint)(k + i)) * Vector256.Create(h[11 - i]);
                }
                sumEven.StoreUnsafe(ref se, (nuint)k);
                sumOdd.StoreUnsafe(ref so, (nuint)k);
            }
        }
        for (; k < count; k++)
        {
            var e = evenLine.Slice(k, 12);
            var o = oddLine.Slice(k, 12);
            int sumEven = 0, sumOdd = 0;
            for (int i = 0; i < 12; i++)
            {
                sumEven += e[i] * h[i];
                sumOdd += o[i] * h[11 - i];
            }
            even[k] = sumEven;
            odd[k] = sumOdd;
        }
    }

    /// <summary>Moves the last <see cref="History"/> values of a block of <paramref name="count"/> to the front of the line.</summary>
    public static void Age(Span<int> line, int count) => line.Slice(count, History).CopyTo(line);
}
