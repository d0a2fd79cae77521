using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hotline.Media.Codecs;

/// <summary>
/// ADPCM state of one G.722 sub-band (ITU-T G.722 §3.6, block 4 and blocks 3L/3H): the pole-zero
/// predictor, its signal estimate, and the log scale factor. Encoder and decoder keep identical copies
/// because both update them from the same (4-bit low, 2-bit high) codes.
/// </summary>
internal sealed class G722Band
{
    // Scalar fields rather than small arrays: this runs twice per sample pair for every G.722 stream, and
    // a conference of wideband phones spends most of its CPU here (no bounds checks, all in registers).
    // The delay lines keep what FILTEZ and FILTEP multiply by, 2·d and 2·r saturated, rather than d and r:
    // each value is then doubled once when it enters rather than six times as it ages, and the sign UPZERO
    // compares is the same (saturating 2·d keeps its sign, and 0 stays 0).
    // The six-tap zero section is the bulk of the work, so it is done six lanes at a time: lane i−1 holds
    // DLT·2 i and BL i; lanes 6 and 7 stay 0.
    private Vector256<int> _dd;                       // DLT·2: quantised differences, lane 0 newest
    private Vector256<int> _b;                        // BL: zero-section coefficients
    private int _rr1, _rr2;                           // RLT·2: reconstructed signal, 1 newest
    private int _p0, _p1;                             // PLT: partially reconstructed signal, 0 newest
    private int _a1, _a2;                             // AL: pole-section coefficients
    private int _sz;                                  // SZL: zero-section estimate
    private int _estimate, _logScale, _scale;

    /// <summary>SL / SH: the signal estimate the next difference is taken against.</summary>
    public int Estimate => _estimate;

    /// <summary>NBL / NBH: the log scale factor.</summary>
    public int LogScale => _logScale;

    /// <summary>DETL / DETH: the quantiser scale factor.</summary>
    public int Scale => _scale;

    public G722Band(int initialScale) => Reset(initialScale);

    public void Reset(int initialScale)
    {
        _dd = Vector256<int>.Zero;
        _b = Vector256<int>.Zero;
        _rr1 = _rr2 = _p0 = _p1 = _a1 = _a2 = 0;
        _sz = 0;
        _estimate = 0;
        _logScale = 0;
        _scale = initialScale;
    }

    /// <summary>Takes <paramref name="other"/>'s state: from now on both produce and follow the same codes.</summary>
    public void CopyFrom(G722Band other)
    {
        _dd = other._dd;
        _b = other._b;
        _rr1 = other._rr1; _rr2 = other._rr2; _p0 = other._p0; _p1 = other._p1; _a1 = other._a1; _a2 = other._a2;
        _sz = other._sz;
        _estimate = other._estimate;
        _logScale = other._logScale;
        _scale = other._scale;
    }

    /// <summary>Same predictor, scale factor and delay lines: the two will turn the same codes into the same signal.</summary>
    public bool SameStateAs(G722Band other) =>
        _dd == other._dd && _b == other._b
        && _rr1 == other._rr1 && _rr2 == other._rr2 && _p0 == other._p0 && _p1 == other._p1 && _a1 == other._a1 && _a2 == other._a2
        && _sz == other._sz && _estimate == other._estimate && _logScale == other._logScale && _scale == other._scale;

    /// <summary>Block 1L, SUBTRA and QUANTL: the 6-bit low-band code of sub-band sample <paramref name="xl"/>.</summary>
    public int QuantizeLow(int xl)
    {
        int el = Saturate(xl - _estimate);
        int magnitude = el ^ (el >> 31);   // el >= 0 ? el : -(el + 1)
        int interval = LowInterval(magnitude, _scale);
        // ILN for a negative difference, ILP otherwise, without a branch on the sign (it is random).
        return G722Tables.IlBySign[interval | ((el >> 31) & 32)];
    }

    /// <summary>
    /// The interval of QUANTL: the first of 1..29 whose upper threshold (Q6 × scale) lies above the
    /// magnitude, else 30. The thresholds only grow, so that is one more than the number of thresholds at or
    /// below the magnitude; with vectors, all 29 are compared at once without a branch to mispredict.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LowInterval(int magnitude, int scale)
    {
        ReadOnlySpan<int> q6 = G722Tables.Q6;
        if (Vector256.IsHardwareAccelerated)
        {
            // Q6 has 32 entries; 0, 30 and 31 are 0, a threshold every magnitude reaches: count them out.
            var m = Vector256.Create(magnitude);
            var s = Vector256.Create(scale);
            ref int t = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(q6);
            uint below = Vector256.GreaterThanOrEqual(m, Vector256.ShiftRightArithmetic(Vector256.LoadUnsafe(ref t) * s, 12)).ExtractMostSignificantBits()
                | Vector256.GreaterThanOrEqual(m, Vector256.ShiftRightArithmetic(Vector256.LoadUnsafe(ref t, 8) * s, 12)).ExtractMostSignificantBits() << 8
                | Vector256.GreaterThanOrEqual(m, Vector256.ShiftRightArithmetic(Vector256.LoadUnsafe(ref t, 16) * s, 12)).ExtractMostSignificantBits() << 16
                | Vector256.GreaterThanOrEqual(m, Vector256.ShiftRightArithmetic(Vector256.LoadUnsafe(ref t, 24) * s, 12)).ExtractMostSignificantBits() << 24;
            return BitOperations.PopCount(below) - 2;
        }
        int low = 1, high = 30;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (magnitude < (q6[mid] * scale) >> 12)
                high = mid;
            else
                low = mid + 1;
        }
        return low;
    }

    /// <summary>Block 1H, SUBTRA and QUANTH: the 2-bit high-band code of sub-band sample <paramref name="xh"/>.</summary>
    public int QuantizeHigh(int xh)
    {
        int eh = Saturate(xh - _estimate);
        int magnitude = eh ^ (eh >> 31);
        int interval = 1 + (int)((uint)(((564 * _scale) >> 12) - 1 - magnitude) >> 31);
        return G722Tables.IhBySign[interval | ((eh >> 31) & 4)];
    }

    /// <summary>Blocks 2L, 3L and 4 for a 6-bit low-band code; returns RL, the mode 1 reconstruction (blocks 5L, 6L).</summary>
    public int AdaptLow(int il)
    {
        il &= 63;
        int scale = _scale;
        int reconstructed = Clamp(_estimate + ((scale * G722Tables.Qm6[il]) >> 15), -16384, 16383);
        int il4 = il >> 2;
        int dl = (scale * G722Tables.Qm4[il4]) >> 15;
        AdaptScale(G722Tables.WlByCode[il4], G722Constants.LowMaxLogScale, G722Constants.LowScaleShift);
        Update(dl);
        return reconstructed;
    }

    /// <summary>Blocks 2H, 3H and 4 for a 2-bit high-band code; returns RH (blocks 5H, 6H).</summary>
    public int AdaptHigh(int ih)
    {
        ih &= 3;
        int dh = (_scale * G722Tables.Qm2[ih]) >> 15;
        int reconstructed = Clamp(dh + _estimate, -16384, 16383);
        AdaptScale(G722Tables.WhByCode[ih], G722Constants.HighMaxLogScale, G722Constants.HighScaleShift);
        Update(dh);
        return reconstructed;
    }

    /// <summary>Blocks 3L/3H, LOGSCL/LOGSCH and SCALEL/SCALEH: adapt the scale factor to the last code.</summary>
    /// <param name="multiplier">WL or WH of the code.</param>
    /// <param name="maximum">18432 for the low band, 22528 for the high band.</param>
    /// <param name="shiftBase">8 for the low band, 10 for the high band.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AdaptScale(int multiplier, int maximum, int shiftBase)
    {
        // Leak factor 127/128 then add the multiplier, limited to the range of the table.
        int nb = Clamp(((_logScale * 127) >> 7) + multiplier, 0, maximum);
        _logScale = nb;
        int ilb = G722Tables.Ilb[(nb >> 6) & 31];
        // ILB shifted right by shiftBase − NBL/2^11, which is -1 at the largest NB: shifting 2·ILB right by
        // one more is the same value and needs no branch.
        int shift = shiftBase + 1 - (nb >> 11);
        _scale = ((ilb << 1) >> shift) << 2;
    }

    /// <summary>Block 4: reconstruct, adapt the predictor to difference <paramref name="d"/>, and predict the next sample.</summary>
    private void Update(int d)
    {
        // RECONS and PARREC.
        int rr = Saturate(Saturate(_estimate + d) << 1);
        int p = Saturate(_sz + d);

        // UPPOL2: second pole coefficient, from the signs of the last three partially reconstructed values.
        int a1Old = _a1;
        int sg0 = p >> 15, sg1 = _p0 >> 15, sg2 = _p1 >> 15;
        // The signs are random, so the choices below are arithmetic rather than branches: with s = 0 or −1,
        // (v ^ s) − s is v or −v.
        int differ1 = sg0 ^ sg1, differ2 = sg0 ^ sg2;
        int wd1 = Saturate(a1Old << 2);
        int wd2 = Min((wd1 ^ ~differ1) - ~differ1, 32767);
        int a2 = Clamp(((128 ^ differ2) - differ2) + (wd2 >> 7) + ((_a2 * 32512) >> 15), -12288, 12288);

        // UPPOL1: first pole coefficient, kept inside the stability triangle |a1| <= 15360 - a2
        // (a2 >= -12288, so the limit is positive and never needs saturating).
        int a1 = Saturate(((192 ^ differ1) - differ1) + ((a1Old * 32640) >> 15));
        int limit = 15360 - a2;
        a1 = Clamp(a1, -limit, limit);

        // UPZERO, DELAYA of the differences, and the sum of FILTEZ over the updated coefficients.
        int zero = Vector256.IsHardwareAccelerated ? ZeroSection(d) : ZeroSectionScalar(d);
        int rr2 = _rr1;
        _rr2 = rr2;
        _rr1 = rr;
        _p1 = _p0;
        _p0 = p;
        _a1 = a1;
        _a2 = a2;

        // FILTEP: pole-section estimate.
        int pole = Saturate(((a1 * rr) >> 15) + ((a2 * rr2) >> 15));

        // FILTEZ: zero-section estimate.
        int sz = Saturate(zero);
        _sz = sz;

        // PREDIC.
        _estimate = Saturate(pole + sz);
    }

    private static readonly Vector256<int> SixLanes = Vector256.Create(-1, -1, -1, -1, -1, -1, 0, 0);

    /// <summary>
    /// UPZERO (sign-sign update of the six zero coefficients with leakage 255/256, against the differences
    /// before <paramref name="d"/> is added), DELAYA of the differences, and Σ (BL i · DLT·2 i) >> 15 of FILTEZ,
    /// each product scaled before the sum as in the Recommendation. Six lanes at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ZeroSection(int d)
    {
        int step = (int)((uint)(d | -d) >> 31) << 7;   // 0 when d is 0, else 128
        var differ = Vector256.ShiftRightArithmetic(_dd, 15) ^ Vector256.Create(d >> 15);
        var b = Vector256.ShiftRightArithmetic(_b * Vector256.Create(32640), 15) + ((Vector256.Create(step) ^ differ) - differ);
        b = Vector256.Min(Vector256.Max(b, Vector256.Create((int)short.MinValue)), Vector256.Create((int)short.MaxValue)) & SixLanes;
        // Lane 6 takes lane 7's 0.
        var dd = Vector256.Shuffle(_dd, Vector256.Create(7, 0, 1, 2, 3, 4, 7, 7)).WithElement(0, Saturate(d << 1));
        _dd = dd;
        _b = b;
        return Vector256.Sum(Vector256.ShiftRightArithmetic(b * dd, 15));
    }

    /// <summary><see cref="ZeroSection"/> one coefficient at a time, where 256-bit vectors are not in hardware (e.g. Arm64).</summary>
    private int ZeroSectionScalar(int d)
    {
        int step = (int)((uint)(d | -d) >> 31) << 7;
        int sgd = d >> 15;
        var ddOld = _dd;
        var bOld = _b;
        int b1 = UpdateZero(bOld.GetElement(0), ddOld.GetElement(0), sgd, step);
        int b2 = UpdateZero(bOld.GetElement(1), ddOld.GetElement(1), sgd, step);
        int b3 = UpdateZero(bOld.GetElement(2), ddOld.GetElement(2), sgd, step);
        int b4 = UpdateZero(bOld.GetElement(3), ddOld.GetElement(3), sgd, step);
        int b5 = UpdateZero(bOld.GetElement(4), ddOld.GetElement(4), sgd, step);
        int b6 = UpdateZero(bOld.GetElement(5), ddOld.GetElement(5), sgd, step);
        int dd1 = Saturate(d << 1), dd2 = ddOld.GetElement(0), dd3 = ddOld.GetElement(1);
        int dd4 = ddOld.GetElement(2), dd5 = ddOld.GetElement(3), dd6 = ddOld.GetElement(4);
        _b = Vector256.Create(b1, b2, b3, b4, b5, b6, 0, 0);
        _dd = Vector256.Create(dd1, dd2, dd3, dd4, dd5, dd6, 0, 0);
        return ((b1 * dd1) >> 15) + ((b2 * dd2) >> 15) + ((b3 * dd3) >> 15)
            + ((b4 * dd4) >> 15) + ((b5 * dd5) >> 15) + ((b6 * dd6) >> 15);
    }

    private static int UpdateZero(int b, int ddOld, int sgd, int step)
    {
        int differ = (ddOld >> 15) ^ sgd;
        return Saturate(((step ^ differ) - differ) + ((b * 32640) >> 15));
    }

    // Limits are rarely reached, so a branch that almost never goes the other way is cheaper than
    // arithmetic on every call; only the sign-dependent choices above, which are random, avoid branches.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Saturate(int value) => (short)value == value ? value : (value >> 31) ^ short.MaxValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Min(int value, int max) => value > max ? max : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
}
