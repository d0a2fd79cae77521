namespace Hotline.Media.Mixing;

/// <summary>
/// Per-participant talk state: exponentially smoothed mean-square energy compared against
/// start/stop thresholds in the linear domain (no logarithm per frame), with attack and
/// hangover counted in frames.
/// </summary>
internal struct TalkerDetector
{
    private float _smoothed;
    private int _aboveFrames;
    private int _belowFrames;

    public bool IsTalking { get; private set; }

    /// <summary>Smoothed mean-square level relative to full scale squared.</summary>
    public readonly float SmoothedEnergy => _smoothed;

    /// <summary>Feeds one frame's mean square (relative to 32768²) and returns true when the talk state changed.</summary>
    public bool Update(float meanSquare, in TalkerThresholds thresholds)
    {
        _smoothed += thresholds.Smoothing * (meanSquare - _smoothed);
        if (!IsTalking)
        {
            _aboveFrames = _smoothed > thresholds.Start ? _aboveFrames + 1 : 0;
            if (_aboveFrames < thresholds.AttackFrames)
                return false;
            IsTalking = true;
            _belowFrames = 0;
            return true;
        }

        _belowFrames = _smoothed < thresholds.Stop ? _belowFrames + 1 : 0;
        if (_belowFrames < thresholds.HangoverFrames)
            return false;
        IsTalking = false;
        _aboveFrames = 0;
        return true;
    }

    public void Reset() => this = default;
}

/// <summary><see cref="TalkerDetectorOptions"/> converted once to linear energies and frame counts.</summary>
internal readonly struct TalkerThresholds
{
    public TalkerThresholds(TalkerDetectorOptions options, int frameMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Smoothing, 0, nameof(options.Smoothing));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Smoothing, 1, nameof(options.Smoothing));
        // 0 dBov is a full-scale square wave, mean square 1.0 relative to 32768².
        Start = (float)Math.Pow(10, options.StartThresholdDbov / 10);
        Stop = (float)Math.Pow(10, options.StopThresholdDbov / 10);
        AttackFrames = Math.Max(1, (options.AttackMilliseconds + frameMilliseconds - 1) / frameMilliseconds);
        HangoverFrames = Math.Max(1, (options.HangoverMilliseconds + frameMilliseconds - 1) / frameMilliseconds);
        Smoothing = (float)options.Smoothing;
    }

    public float Start { get; }
    public float Stop { get; }
    public int AttackFrames { get; }
    public int HangoverFrames { get; }
    public float Smoothing { get; }
}
