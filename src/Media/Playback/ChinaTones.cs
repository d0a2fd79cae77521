namespace Hotline.Media.Playback;

/// <summary>
/// China's standard call-progress tones: a 450 Hz signal tone with cadences per the national
/// standard, as also carried in Asterisk's "cn" indications zone.
/// </summary>
public static class ChinaTones
{
    /// <summary>Dial tone (拨号音): 450 Hz continuous.</summary>
    public static ToneSpec Dial { get; } = ToneSpec.Parse("450");

    /// <summary>Ringback tone (回铃音): 450 Hz, 1 s on, 4 s off.</summary>
    public static ToneSpec Ringback { get; } = ToneSpec.Parse("450/1000,0/4000");

    /// <summary>Busy tone (忙音): 450 Hz, 0.35 s on, 0.35 s off.</summary>
    public static ToneSpec Busy { get; } = ToneSpec.Parse("450/350,0/350");

    /// <summary>Congestion tone (拥塞音): 450 Hz, 0.7 s on, 0.7 s off.</summary>
    public static ToneSpec Congestion { get; } = ToneSpec.Parse("450/700,0/700");

    /// <summary>Call-waiting tone (呼叫等待音): 450 Hz, 0.4 s on, 4 s off.</summary>
    public static ToneSpec CallWaiting { get; } = ToneSpec.Parse("450/400,0/4000");

    /// <summary>Special information / vacant number tone (空号音): three short bursts and a long one.</summary>
    public static ToneSpec SpecialInformation { get; } = ToneSpec.Parse("450/100,0/100,450/100,0/100,450/100,0/100,450/400,0/400");

    /// <summary>Recording warning tone: 950 Hz, 0.4 s every 10 s.</summary>
    public static ToneSpec RecordWarning { get; } = ToneSpec.Parse("950/400,0/10000");

    /// <summary>Signal-tone level: −10 dBm0 (configurable per generator).</summary>
    public const double LevelDbm0 = -10;
}
