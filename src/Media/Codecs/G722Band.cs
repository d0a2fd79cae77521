namespace Hotline.Media.Codecs;

/// <summary>
/// ADPCM state of one G.722 sub-band (ITU-T G.722 §3.6, block 4 and blocks 3L/3H): the pole-zero
/// predictor, its signal estimate, and the log scale factor. Encoder and decoder keep identical copies
/// because both update them from the same (4-bit low, 2-bit high) codes.
/// </summary>
internal sealed class G722Band
{
    private readonly int[] _d = new int[7];   // DLT: quantised differences, [1] newest ([0] unused)
    private readonly int[] _b = new int[7];   // BL: zero-section coefficients, [1..6]
    private readonly int[] _r = new int[3];   // RLT: reconstructed signal, [1] newest
    private readonly int[] _p = new int[2];   // PLT: partially reconstructed signal, [0] newest
    private readonly int[] _a = new int[3];   // AL: pole-section coefficients, [1..2]
    private int _sz;                          // SZL: zero-section estimate

    /// <summary>SL / SH: the signal estimate the next difference is taken against.</summary>
    public int Estimate { get; private set; }

    /// <summary>NBL / NBH: the log scale factor.</summary>
    public int LogScale { get; private set; }

    /// <summary>DETL / DETH: the quantiser scale factor.</summary>
    public int Scale { get; private set; }

    public G722Band(int initialScale) => Reset(initialScale);

    public void Reset(int initialScale)
    {
        Array.Clear(_d);
        Array.Clear(_b);
        Array.Clear(_r);
        Array.Clear(_p);
        Array.Clear(_a);
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
        int interval = 1;
        for (; interval < 30; interval++)
            if (magnitude < (G722Tables.Q6[interval] * Scale) >> 12)
                break;
        return el < 0 ? G722Tables.Iln[interval] : G722Tables.Ilp[interval];
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
        int sg0 = p >> 15, sg1 = _p[0] >> 15, sg2 = _p[1] >> 15;
        int wd1 = Saturate(_a[1] << 2);
        int wd2 = sg0 == sg1 ? -wd1 : wd1;
        if (wd2 > 32767)
            wd2 = 32767;
        int a2 = (sg0 == sg2 ? 128 : -128) + (wd2 >> 7) + ((_a[2] * 32512) >> 15);
        a2 = Math.Clamp(a2, -12288, 12288);

        // UPPOL1: first pole coefficient, kept inside the stability triangle |a1| <= 15360 - a2.
        int a1 = Saturate((sg0 == sg1 ? 192 : -192) + ((_a[1] * 32640) >> 15));
        int limit = Saturate(15360 - a2);
        a1 = Math.Clamp(a1, -limit, limit);

        // UPZERO: sign-sign update of the six zero coefficients with leakage 255/256.
        int step = d == 0 ? 0 : 128;
        int sgd = d >> 15;
        for (int i = 6; i > 0; i--)
        {
            int sign = _d[i] >> 15;
            _b[i] = Saturate((sign == sgd ? step : -step) + ((_b[i] * 32640) >> 15));
        }

        // DELAYA: age the differences and reconstructed values.
        for (int i = 6; i > 1; i--)
            _d[i] = _d[i - 1];
        _d[1] = d;
        _r[2] = _r[1];
        _r[1] = r;
        _p[1] = _p[0];
        _p[0] = p;
        _a[1] = a1;
        _a[2] = a2;

        // FILTEP: pole-section estimate.
        int pole = ((_a[1] * Saturate(_r[1] + _r[1])) >> 15) + ((_a[2] * Saturate(_r[2] + _r[2])) >> 15);
        pole = Saturate(pole);

        // FILTEZ: zero-section estimate.
        int zero = 0;
        for (int i = 6; i > 0; i--)
            zero += (_b[i] * Saturate(_d[i] + _d[i])) >> 15;
        _sz = Saturate(zero);

        // PREDIC.
        Estimate = Saturate(pole + _sz);
    }

    public static int Saturate(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);
}
