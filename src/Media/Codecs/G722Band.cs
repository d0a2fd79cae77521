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
    private int _d1, _d2, _d3, _d4, _d5, _d6;   // DLT: quantised differences, 1 newest
    private int _b1, _b2, _b3, _b4, _b5, _b6;   // BL: zero-section coefficients
    private int _r1, _r2;                       // RLT: reconstructed signal, 1 newest
    private int _p0, _p1;                       // PLT: partially reconstructed signal, 0 newest
    private int _a1, _a2;                       // AL: pole-section coefficients
    private int _sz;                            // SZL: zero-section estimate

    /// <summary>SL / SH: the signal estimate the next difference is taken against.</summary>
    public int Estimate { get; private set; }

    /// <summary>NBL / NBH: the log scale factor.</summary>
    public int LogScale { get; private set; }

    /// <summary>DETL / DETH: the quantiser scale factor.</summary>
    public int Scale { get; private set; }

    public G722Band(int initialScale) => Reset(initialScale);

    public void Reset(int initialScale)
    {
        _d1 = _d2 = _d3 = _d4 = _d5 = _d6 = 0;
        _b1 = _b2 = _b3 = _b4 = _b5 = _b6 = 0;
        _r1 = _r2 = _p0 = _p1 = _a1 = _a2 = 0;
        _sz = 0;
        Estimate = 0;
        LogScale = 0;
        Scale = initialScale;
    }

    /// <summary>Block 1L, SUBTRA and QUANTL: the 6-bit low-band code of sub-band sample <paramref name="xl"/>.</summary>
    public int QuantizeLow(int xl)
    {
        int el = Saturate(xl - Estimate);
        int magnitude = el >= 0 ? el : -(el + 1);
        // The interval is the first of 1..29 whose upper threshold (Q6 × scale) lies above the magnitude,
        // else 30. The thresholds only grow, so a binary search finds the same interval as QUANTL's scan.
        ReadOnlySpan<int> q6 = G722Tables.Q6;
        int scale = Scale, low = 1, high = 30;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (magnitude < (q6[mid] * scale) >> 12)
                high = mid;
            else
                low = mid + 1;
        }
        return el < 0 ? G722Tables.Iln[low] : G722Tables.Ilp[low];
    }

    /// <summary>Block 1H, SUBTRA and QUANTH: the 2-bit high-band code of sub-band sample <paramref name="xh"/>.</summary>
    public int QuantizeHigh(int xh)
    {
        int eh = Saturate(xh - Estimate);
        int magnitude = eh >= 0 ? eh : -(eh + 1);
        int interval = magnitude >= (564 * Scale) >> 12 ? 2 : 1;
        return eh < 0 ? G722Tables.Ihn[interval] : G722Tables.Ihp[interval];
    }

    /// <summary>Blocks 2L, 3L and 4 for a 6-bit low-band code; returns RL, the mode 1 reconstruction (blocks 5L, 6L).</summary>
    public int AdaptLow(int il)
    {
        int reconstructed = Math.Clamp(Estimate + ((Scale * G722Tables.Qm6[il]) >> 15), -16384, 16383);
        int il4 = il >> 2;
        int dl = (Scale * G722Tables.Qm4[il4]) >> 15;
        AdaptScale(G722Tables.Wl[G722Tables.Rl42[il4]], G722Constants.LowMaxLogScale, G722Constants.LowScaleShift);
        Update(dl);
        return reconstructed;
    }

    /// <summary>Blocks 2H, 3H and 4 for a 2-bit high-band code; returns RH (blocks 5H, 6H).</summary>
    public int AdaptHigh(int ih)
    {
        int dh = (Scale * G722Tables.Qm2[ih]) >> 15;
        int reconstructed = Math.Clamp(dh + Estimate, -16384, 16383);
        AdaptScale(G722Tables.Wh[G722Tables.Rh2[ih]], G722Constants.HighMaxLogScale, G722Constants.HighScaleShift);
        Update(dh);
        return reconstructed;
    }

    /// <summary>Blocks 3L/3H, LOGSCL/LOGSCH and SCALEL/SCALEH: adapt the scale factor to the last code.</summary>
    /// <param name="multiplier">WL or WH of the code.</param>
    /// <param name="maximum">18432 for the low band, 22528 for the high band.</param>
    /// <param name="shiftBase">8 for the low band, 10 for the high band.</param>
    private void AdaptScale(int multiplier, int maximum, int shiftBase)
    {
        // Leak factor 127/128 then add the multiplier, limited to the range of the table.
        int nb = ((LogScale * 127) >> 7) + multiplier;
        LogScale = Math.Clamp(nb, 0, maximum);
        int fraction = (LogScale >> 6) & 31;
        int shift = shiftBase - (LogScale >> 11);
        int scale = shift < 0 ? G722Tables.Ilb[fraction] << -shift : G722Tables.Ilb[fraction] >> shift;
        Scale = scale << 2;
    }

    /// <summary>Block 4: reconstruct, adapt the predictor to difference <paramref name="d"/>, and predict the next sample.</summary>
    private void Update(int d)
    {
        // RECONS and PARREC.
        int r = Saturate(Estimate + d);
        int p = Saturate(_sz + d);

        // UPPOL2: second pole coefficient, from the signs of the last three partially reconstructed values.
        int sg0 = p >> 15, sg1 = _p0 >> 15, sg2 = _p1 >> 15;
        int wd1 = Saturate(_a1 << 2);
        int wd2 = sg0 == sg1 ? -wd1 : wd1;
        if (wd2 > 32767)
            wd2 = 32767;
        int a2 = (sg0 == sg2 ? 128 : -128) + (wd2 >> 7) + ((_a2 * 32512) >> 15);
        a2 = Math.Clamp(a2, -12288, 12288);

        // UPPOL1: first pole coefficient, kept inside the stability triangle |a1| <= 15360 - a2.
        int a1 = Saturate((sg0 == sg1 ? 192 : -192) + ((_a1 * 32640) >> 15));
        int limit = Saturate(15360 - a2);
        a1 = Math.Clamp(a1, -limit, limit);

        // UPZERO: sign-sign update of the six zero coefficients with leakage 255/256, against the
        // differences before this one is added.
        int step = d == 0 ? 0 : 128;
        int sgd = d >> 15;
        _b1 = UpdateZero(_b1, _d1, sgd, step);
        _b2 = UpdateZero(_b2, _d2, sgd, step);
        _b3 = UpdateZero(_b3, _d3, sgd, step);
        _b4 = UpdateZero(_b4, _d4, sgd, step);
        _b5 = UpdateZero(_b5, _d5, sgd, step);
        _b6 = UpdateZero(_b6, _d6, sgd, step);

        // DELAYA: age the differences and reconstructed values.
        _d6 = _d5;
        _d5 = _d4;
        _d4 = _d3;
        _d3 = _d2;
        _d2 = _d1;
        _d1 = d;
        _r2 = _r1;
        _r1 = r;
        _p1 = _p0;
        _p0 = p;
        _a1 = a1;
        _a2 = a2;

        // FILTEP: pole-section estimate.
        int pole = Saturate(((a1 * Saturate(_r1 + _r1)) >> 15) + ((a2 * Saturate(_r2 + _r2)) >> 15));

        // FILTEZ: zero-section estimate.
        int zero = ((_b1 * Saturate(_d1 + _d1)) >> 15) + ((_b2 * Saturate(_d2 + _d2)) >> 15) + ((_b3 * Saturate(_d3 + _d3)) >> 15)
            + ((_b4 * Saturate(_d4 + _d4)) >> 15) + ((_b5 * Saturate(_d5 + _d5)) >> 15) + ((_b6 * Saturate(_d6 + _d6)) >> 15);
        _sz = Saturate(zero);

        // PREDIC.
        Estimate = Saturate(pole + _sz);
    }

    private static int UpdateZero(int b, int dOld, int sgd, int step) =>
        Saturate(((dOld >> 15) == sgd ? step : -step) + ((b * 32640) >> 15));

    public static int Saturate(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);
}
