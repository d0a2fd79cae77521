using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hotline.Media.Codecs;

/// <summary>
/// AVX2 G.711 expansion, 32 codes per step. A 256-entry table cannot be looked up in SIMD registers,
/// but both laws factor into 16-entry tables on the code's two nibbles (VPSHUFB lookups):
/// µ-law: |x| + 132 = (8·mantissa + 132) · 2^segment; A-law: |x| = 8·((2·mantissa + 33) · m(segment) − s(segment)),
/// with m = 1, 1, 2, 4, … and s = 32 for segment 0 only. The line inversions (all bits for µ-law, even bits
/// for A-law) are folded into the tables; bit 7 of the code is the sign. Checked against the scalar
/// tables for all 256 codes by the unit tests.
/// Compression runs Sun's algorithm on 16 lanes at once: the segment is the count of segment end points
/// below the magnitude, and the per-lane shift of the mantissa is a high-half multiply by 2^(16−shift),
/// with 2^(16−shift) looked up by segment.
/// </summary>
internal static class G711Vector
{
    private static readonly Vector256<byte> s_muLawBase = BuildTable(lo => (15 - lo) * 8 + 132);
    private static readonly Vector256<byte> s_muLawPower = BuildTable(hi => 1 << (7 - (hi & 7)));
    private static readonly Vector256<byte> s_aLawBase = BuildTable(lo => (lo ^ 5) * 2 + 33);
    private static readonly Vector256<byte> s_aLawMultiplier = BuildTable(hi => ((hi ^ 5) & 7) is var s && s == 0 ? 1 : 1 << (s - 1));
    private static readonly Vector256<byte> s_aLawOffset = BuildTable(hi => ((hi ^ 5) & 7) == 0 ? 32 : 0);

    // High byte of 2^(16 − shift) by segment: µ-law shifts by segment + 1, A-law by max(segment, 1).
    private static readonly Vector256<byte> s_muLawShift = BuildTable(segment => segment < 8 ? 1 << (7 - segment) : 0);
    private static readonly Vector256<byte> s_aLawShift = BuildTable(segment => segment < 8 ? 1 << (8 - Math.Max(segment, 1)) : 0);

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Encodes the largest multiple of 32 samples; returns how many were done.</summary>
    public static int EncodeMuLaw(ref short pcm, ref byte codes, int count)
    {
        int i = 0;
        for (; i <= count - 32; i += 32)
        {
            var low = CompressMuLaw(Vector256.LoadUnsafe(ref pcm, (nuint)i));
            var high = CompressMuLaw(Vector256.LoadUnsafe(ref pcm, (nuint)(i + 16)));
            Vector256.Narrow(low, high).StoreUnsafe(ref codes, (nuint)i);
        }
        return i;
    }

    /// <summary>Encodes the largest multiple of 32 samples; returns how many were done.</summary>
    public static int EncodeALaw(ref short pcm, ref byte codes, int count)
    {
        int i = 0;
        for (; i <= count - 32; i += 32)
        {
            var low = CompressALaw(Vector256.LoadUnsafe(ref pcm, (nuint)i));
            var high = CompressALaw(Vector256.LoadUnsafe(ref pcm, (nuint)(i + 16)));
            Vector256.Narrow(low, high).StoreUnsafe(ref codes, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> CompressMuLaw(Vector256<short> x)
    {
        var value = Vector256.ShiftRightArithmetic(x, 2);
        var negative = Vector256.ShiftRightArithmetic(value, 15);
        // |value| clipped at 8159, plus the bias 33; 8192 (clipped) and 8191 give the same code, so cap at 0x1FFF.
        var magnitude = Vector256.Min(Vector256.Min(Vector256.Abs(value), Vector256.Create((short)8159)) + Vector256.Create((short)33),
            Vector256.Create((short)0x1FFF)).AsUInt16();
        var segment = Segment(magnitude, 0x3F);
        var mantissa = Avx2.MultiplyHigh(magnitude, Scale(s_muLawShift, segment)) & Vector256.Create((ushort)0x0F);
        var mask = Vector256.Create((ushort)0xFF) ^ (negative.AsUInt16() & Vector256.Create((ushort)0x80));
        return (Vector256.ShiftLeft(segment, 4) | mantissa) ^ mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> CompressALaw(Vector256<short> x)
    {
        var value = Vector256.ShiftRightArithmetic(x, 3);
        var negative = Vector256.ShiftRightArithmetic(value, 15);
        // Negative values become −value − 1 (one's complement), as in the reference.
        var magnitude = (value ^ negative).AsUInt16();
        var segment = Segment(magnitude, 0x1F);
        var mantissa = Avx2.MultiplyHigh(magnitude, Scale(s_aLawShift, segment)) & Vector256.Create((ushort)0x0F);
        var mask = Vector256.Create((ushort)0xD5) ^ (negative.AsUInt16() & Vector256.Create((ushort)0x80));
        return (Vector256.ShiftLeft(segment, 4) | mantissa) ^ mask;
    }

    // Number of segment end points (firstEnd, 2·firstEnd + 1, … seven of them) the magnitude exceeds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Segment(Vector256<ushort> magnitude, int firstEnd)
    {
        var segment = Vector256<ushort>.Zero;
        var signed = magnitude.AsInt16();
        for (int k = 0, end = firstEnd; k < 7; k++, end = end * 2 + 1)
            segment -= Vector256.GreaterThan(signed, Vector256.Create((short)end)).AsUInt16();
        return segment;
    }

    // 2^(16 − shift) per lane: the table gives its high byte by segment (VPSHUFB on the low bytes).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Scale(Vector256<byte> table, Vector256<ushort> segment) =>
        Vector256.ShiftLeft(Avx2.Shuffle(table, segment.AsByte()).AsUInt16() & Vector256.Create((ushort)0xFF), 8);

    /// <summary>Decodes the largest multiple of 32 codes; returns how many were done.</summary>
    public static int DecodeMuLaw(ref byte codes, ref short pcm, int count)
    {
        int i = 0;
        var lowMask = Vector256.Create((byte)0x0F);
        var bias = Vector256.Create((short)132);
        for (; i <= count - 32; i += 32)
        {
            var c = Vector256.LoadUnsafe(ref codes, (nuint)i);
            var magnitudeBase = Avx2.Shuffle(s_muLawBase, c & lowMask);
            var power = Avx2.Shuffle(s_muLawPower, Vector256.ShiftRightLogical(c.AsUInt16(), 4).AsByte() & lowMask);
            var negative = Vector256.Equals(c & Vector256.Create((byte)0x80), Vector256<byte>.Zero).AsSByte();
            Store(ref pcm, i, magnitudeBase, power, Vector256<byte>.Zero, negative, bias, 0);
        }
        return i;
    }

    /// <summary>Decodes the largest multiple of 32 codes; returns how many were done.</summary>
    public static int DecodeALaw(ref byte codes, ref short pcm, int count)
    {
        int i = 0;
        var lowMask = Vector256.Create((byte)0x0F);
        for (; i <= count - 32; i += 32)
        {
            var c = Vector256.LoadUnsafe(ref codes, (nuint)i);
            var high = Vector256.ShiftRightLogical(c.AsUInt16(), 4).AsByte() & lowMask;
            var magnitudeBase = Avx2.Shuffle(s_aLawBase, c & lowMask);
            var multiplier = Avx2.Shuffle(s_aLawMultiplier, high);
            var offset = Avx2.Shuffle(s_aLawOffset, high);
            var negative = Vector256.Equals(c & Vector256.Create((byte)0x80), Vector256<byte>.Zero).AsSByte();
            Store(ref pcm, i, magnitudeBase, multiplier, offset, negative, Vector256<short>.Zero, 3);
        }
        return i;
    }

    // magnitude = ((base · factor − offset) << shift) − bias, negated where the sign mask is set.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref short pcm, int at, Vector256<byte> magnitudeBase, Vector256<byte> factor, Vector256<byte> offset,
        Vector256<sbyte> negative, Vector256<short> bias, int shift)
    {
        var (baseLow, baseHigh) = Vector256.Widen(magnitudeBase);
        var (factorLow, factorHigh) = Vector256.Widen(factor);
        var (offsetLow, offsetHigh) = Vector256.Widen(offset);
        var (signLow, signHigh) = Vector256.Widen(negative);
        var low = (Vector256.ShiftLeft((baseLow * factorLow - offsetLow).AsInt16(), shift) - bias);
        var high = (Vector256.ShiftLeft((baseHigh * factorHigh - offsetHigh).AsInt16(), shift) - bias);
        ((low ^ signLow) - signLow).StoreUnsafe(ref pcm, (nuint)at);
        ((high ^ signHigh) - signHigh).StoreUnsafe(ref pcm, (nuint)(at + 16));
    }

    // VPSHUFB looks up within each 128-bit half, so the 16-entry table is repeated in both halves.
    private static Vector256<byte> BuildTable(Func<int, int> entry)
    {
        Span<byte> table = stackalloc byte[32];
        for (int i = 0; i < 32; i++)
            table[i] = (byte)entry(i & 15);
        return Vector256.Create<byte>(table);
    }
}
