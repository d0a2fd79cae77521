using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hotline.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding, bit-exact with the classic Sun Microsystems g711.c (which libsox uses and
/// which agrees with the ITU-T STL for A-law). Tables are built once from that algorithm:
/// µ-law keeps the 14 most significant bits of a 16-bit sample and A-law the 13 most significant
/// (G.711 §1 defines the laws on 14- and 13-bit uniform PCM; the low bits are truncated, not rounded).
/// </summary>
public static class G711
{
    // µ-law (G.711 Table 2a) works on 14 bits: index = (ushort)sample >> 2, 16,384 entries.
    private static readonly byte[] s_linearToMuLaw = BuildEncodeTable(14, MuLawCompress);
    // A-law (G.711 Table 1a) works on 13 bits: index = (ushort)sample >> 3, 8,192 entries.
    private static readonly byte[] s_linearToALaw = BuildEncodeTable(13, ALawCompress);
    private static readonly short[] s_muLawToLinear = BuildDecodeTable(MuLawExpand);
    private static readonly short[] s_aLawToLinear = BuildDecodeTable(ALawExpand);

    /// <summary>µ-law code of one 16-bit sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte LinearToMuLaw(short sample) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_linearToMuLaw), (ushort)sample >> 2);

    /// <summary>A-law code of one 16-bit sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte LinearToALaw(short sample) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_linearToALaw), (ushort)sample >> 3);

    /// <summary>16-bit sample of one µ-law code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short MuLawToLinear(byte code) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_muLawToLinear), code);

    /// <summary>16-bit sample of one A-law code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short ALawToLinear(byte code) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_aLawToLinear), code);

    // The span helpers run 32 samples per step with AVX2 (G711Vector), then finish with the tables.

    /// <summary>Encodes <paramref name="pcm"/> to µ-law; returns bytes written (min of both lengths).</summary>
    public static int EncodeMuLaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        int done = G711Vector.IsSupported
            ? G711Vector.EncodeMuLaw(ref MemoryMarshal.GetReference(pcm), ref MemoryMarshal.GetReference(codes), n)
            : 0;
        return done + Encode(pcm[done..n], codes[done..n], s_linearToMuLaw, 2);
    }

    /// <summary>Encodes <paramref name="pcm"/> to A-law; returns bytes written (min of both lengths).</summary>
    public static int EncodeALaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        int done = G711Vector.IsSupported
            ? G711Vector.EncodeALaw(ref MemoryMarshal.GetReference(pcm), ref MemoryMarshal.GetReference(codes), n)
            : 0;
        return done + Encode(pcm[done..n], codes[done..n], s_linearToALaw, 3);
    }

    /// <summary>Decodes µ-law <paramref name="codes"/>; returns samples written (min of both lengths).</summary>
    public static int DecodeMuLaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        int done = G711Vector.IsSupported
            ? G711Vector.DecodeMuLaw(ref MemoryMarshal.GetReference(codes), ref MemoryMarshal.GetReference(pcm), n)
            : 0;
        return done + Decode(codes[done..n], pcm[done..n], s_muLawToLinear);
    }

    /// <summary>Decodes A-law <paramref name="codes"/>; returns samples written (min of both lengths).</summary>
    public static int DecodeALaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        int done = G711Vector.IsSupported
            ? G711Vector.DecodeALaw(ref MemoryMarshal.GetReference(codes), ref MemoryMarshal.GetReference(pcm), n)
            : 0;
        return done + Decode(codes[done..n], pcm[done..n], s_aLawToLinear);
    }

    private static int Encode(ReadOnlySpan<short> pcm, Span<byte> codes, byte[] table, int shift)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        ref byte t = ref MemoryMarshal.GetArrayDataReference(table);
        ref short src = ref MemoryMarshal.GetReference(pcm);
        ref byte dst = ref MemoryMarshal.GetReference(codes);
        int i = 0;
        // Unrolled by four: the loop is bound by the dependent loads, not by arithmetic, and there is no
        // cheap SIMD gather of bytes; every index is < table.Length by construction of the shift.
        for (; i <= n - 4; i += 4)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref t, (ushort)Unsafe.Add(ref src, i) >> shift);
            Unsafe.Add(ref dst, i + 1) = Unsafe.Add(ref t, (ushort)Unsafe.Add(ref src, i + 1) >> shift);
            Unsafe.Add(ref dst, i + 2) = Unsafe.Add(ref t, (ushort)Unsafe.Add(ref src, i + 2) >> shift);
            Unsafe.Add(ref dst, i + 3) = Unsafe.Add(ref t, (ushort)Unsafe.Add(ref src, i + 3) >> shift);
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref t, (ushort)Unsafe.Add(ref src, i) >> shift);
        return n;
    }

    private static int Decode(ReadOnlySpan<byte> codes, Span<short> pcm, short[] table)
    {
        int n = Math.Min(pcm.Length, codes.Length);
        ref short t = ref MemoryMarshal.GetArrayDataReference(table);
        ref byte src = ref MemoryMarshal.GetReference(codes);
        ref short dst = ref MemoryMarshal.GetReference(pcm);
        int i = 0;
        for (; i <= n - 4; i += 4)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref t, Unsafe.Add(ref src, i));
            Unsafe.Add(ref dst, i + 1) = Unsafe.Add(ref t, Unsafe.Add(ref src, i + 1));
            Unsafe.Add(ref dst, i + 2) = Unsafe.Add(ref t, Unsafe.Add(ref src, i + 2));
            Unsafe.Add(ref dst, i + 3) = Unsafe.Add(ref t, Unsafe.Add(ref src, i + 3));
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref t, Unsafe.Add(ref src, i));
        return n;
    }

    private static byte[] BuildEncodeTable(int bits, Func<short, byte> compress)
    {
        var table = new byte[1 << bits];
        int shift = 16 - bits;
        for (int i = 0; i < table.Length; i++)
            table[i] = compress((short)(i << shift));
        return table;
    }

    private static short[] BuildDecodeTable(Func<byte, short> expand)
    {
        var table = new short[256];
        for (int i = 0; i < 256; i++)
            table[i] = expand((byte)i);
        return table;
    }

    // Segment end points of the biased magnitude (G.711 Table 2a, µ-law) and of the magnitude (Table 1a, A-law).
    private static ReadOnlySpan<short> MuLawSegmentEnd => [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF];
    private static ReadOnlySpan<short> ALawSegmentEnd => [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 8159;

    private static int Segment(int value, ReadOnlySpan<short> ends)
    {
        for (int i = 0; i < ends.Length; i++)
            if (value <= ends[i])
                return i;
        return ends.Length;
    }

    private static byte MuLawCompress(short sample)
    {
        int value = sample >> 2;
        int mask;
        if (value < 0) { value = -value; mask = 0x7F; }
        else mask = 0xFF;
        if (value > MuLawClip) value = MuLawClip;
        value += MuLawBias >> 2;
        int segment = Segment(value, MuLawSegmentEnd);
        // Characters are sent inverted (G.711 Table 2a note), hence the XOR with the sign mask.
        return segment >= 8
            ? (byte)(0x7F ^ mask)
            : (byte)(((segment << 4) | ((value >> (segment + 1)) & 0xF)) ^ mask);
    }

    private static byte ALawCompress(short sample)
    {
        int value = sample >> 3;
        int mask;
        if (value >= 0) mask = 0xD5;
        else { mask = 0x55; value = -value - 1; }
        int segment = Segment(value, ALawSegmentEnd);
        if (segment >= 8)
            return (byte)(0x7F ^ mask);
        int code = segment << 4;
        code |= (segment < 2 ? value >> 1 : value >> segment) & 0xF;
        // Even bits are inverted on the line (G.711 Table 1a note): XOR 0x55.
        return (byte)(code ^ mask);
    }

    private static short MuLawExpand(byte code)
    {
        int u = ~code;
        int t = ((u & 0x0F) << 3) + MuLawBias;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? MuLawBias - t : t - MuLawBias);
    }

    private static short ALawExpand(byte code)
    {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }
}
