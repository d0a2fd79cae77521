namespace Hotline.Media.Codecs;

/// <summary>Constant tables of ITU-T G.722 (11/88) §3 and §4, names as in the Recommendation.</summary>
internal static class G722Tables
{
    /// <summary>Even half of the 24-tap QMF (h0, h2, …, h22; Table 11); the odd half is its mirror.</summary>
    public static readonly int[] Qmf =
    [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

    /// <summary>Low-band 6-bit quantiser decision levels (Table 6), scaled by 2^12 units of DETL/8.</summary>
    public static readonly int[] Q6 =
    [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
    ];

    /// <summary>6-bit low-band codes for negative differences, by quantiser interval (Table 6, ILN).</summary>
    public static readonly int[] Iln =
    [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0,
    ];

    /// <summary>6-bit low-band codes for positive differences, by quantiser interval (Table 6, ILP).</summary>
    public static readonly int[] Ilp =
    [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0,
    ];

    /// <summary>Low-band log scale-factor multipliers (Table 7, WL), indexed by RIL4 mapped through <see cref="Rl42"/>.</summary>
    public static readonly int[] Wl =
    [-60, -30, 58, 172, 334, 538, 1198, 3042];

    /// <summary>Maps the 4-bit low-band code to its magnitude class for <see cref="Wl"/> (Table 7).</summary>
    public static readonly int[] Rl42 =
    [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];

    /// <summary>Inverse-log table (Table 8, ILB): 2048·2^(i/32).</summary>
    public static readonly int[] Ilb =
    [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];

    /// <summary>4-bit low-band inverse quantiser outputs (Table 6, QQ4 scaled), used for prediction.</summary>
    public static readonly int[] Qm4 =
    [
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    ];

    /// <summary>6-bit low-band inverse quantiser outputs (Table 6, QQ6 scaled), used for mode 1 reconstruction.</summary>
    public static readonly int[] Qm6 =
    [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136,
    ];

    /// <summary>2-bit high-band inverse quantiser outputs (Table 9, QQ2 scaled).</summary>
    public static readonly int[] Qm2 =
    [-7408, -1616, 7408, 1616];

    /// <summary>High-band codes for negative / positive differences by interval (Table 9, IHN / IHP).</summary>
    public static readonly int[] Ihn =
    [0, 1, 0];

    /// <inheritdoc cref="Ihn" />
    public static readonly int[] Ihp =
    [0, 3, 2];

    /// <summary>High-band log scale-factor multipliers (Table 10, WH), indexed through <see cref="Rh2"/>.</summary>
    public static readonly int[] Wh =
    [0, -214, 798];

    /// <summary>Maps the 2-bit high-band code to its magnitude class for <see cref="Wh"/>.</summary>
    public static readonly int[] Rh2 =
    [2, 1, 2, 1];

    /// <summary>WL of each 4-bit low-band code (<see cref="Wl"/> through <see cref="Rl42"/>, one lookup instead of two).</summary>
    public static readonly int[] WlByCode =
    [-60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60];

    /// <summary>WH of each 2-bit high-band code (<see cref="Wh"/> through <see cref="Rh2"/>).</summary>
    public static readonly int[] WhByCode =
    [798, -214, 798, -214];

    /// <summary><see cref="Ilp"/> then <see cref="Iln"/>: the 6-bit code by interval, +32 for a negative difference.</summary>
    public static readonly int[] IlBySign = [.. Ilp, .. Iln];

    /// <summary><see cref="Ihp"/> then <see cref="Ihn"/> at 4: the 2-bit code by interval, +4 for a negative difference.</summary>
    public static readonly int[] IhBySign = [.. Ihp, 0, .. Ihn, 0];
}
