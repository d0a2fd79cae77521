namespace Hotline.Media.Dtmf;

/// <summary>
/// Produces the telephone-event packets of one key press (RFC 4733 §2.5.1): all with the timestamp of
/// the press's start, the first with the marker bit, one per packet interval with a growing duration,
/// then the end packet three times (§2.5.1.4). The caller sends one packet per call of
/// <see cref="TryGetNext"/>, giving each its own sequence number in the audio stream's sequence.
/// </summary>
public sealed class Rfc4733Sender
{
    private const int EndRepeats = 3;
    private readonly int _interval;
    private byte _event;
    private int _totalDuration;
    private int _sentContinuations;
    private int _sentEnds;

    /// <param name="clockRate">Timestamp rate of the telephone-event payload type (same as the audio's).</param>
    /// <param name="packetInterval">Time between event packets, normally the audio ptime (e.g. 20 ms).</param>
    /// <param name="volume">Power level to announce, 0..63 meaning 0 to -63 dBm0 (§2.3.4).</param>
    public Rfc4733Sender(int clockRate, TimeSpan packetInterval, byte volume = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, (byte)63);
        ClockRate = clockRate;
        _interval = (int)(packetInterval.Ticks * clockRate / TimeSpan.TicksPerSecond);
        if (_interval <= 0) throw new ArgumentOutOfRangeException(nameof(packetInterval), "packet interval shorter than one timestamp unit");
        Volume = volume;
    }

    public int ClockRate { get; }
    public byte Volume { get; }

    /// <summary>Timestamp of the press being sent (the timestamp of all its packets).</summary>
    public uint Timestamp { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>
    /// Begins a press of <paramref name="digit"/> lasting <paramref name="duration"/>, at media time
    /// <paramref name="timestamp"/>. The duration must fit one segment (0xFFFF units: 8 s at 8 kHz).
    /// </summary>
    public void Start(char digit, uint timestamp, TimeSpan duration)
    {
        int code = DtmfDigits.ToEventCode(digit);
        if (code < 0) throw new ArgumentException($"'{digit}' is not a DTMF key", nameof(digit));
        long units = duration.Ticks * ClockRate / TimeSpan.TicksPerSecond;
        if (units < _interval || units > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(duration), $"a press lasts one packet interval to {ushort.MaxValue} timestamp units");
        _event = (byte)code;
        _totalDuration = (int)units;
        Timestamp = timestamp;
        _sentContinuations = 0;
        _sentEnds = 0;
        IsActive = true;
    }

    /// <summary>The next packet of the press; false once the three end packets have been given.</summary>
    public bool TryGetNext(out Rfc4733Event evt, out bool marker)
    {
        marker = false;
        evt = default;
        if (!IsActive) return false;
        int continuations = (_totalDuration + _interval - 1) / _interval;
        if (_sentContinuations < continuations - 1)
        {
            // §2.5.1.2: the duration covers the time from the event's start to the end of this packet.
            marker = _sentContinuations == 0;
            _sentContinuations++;
            evt = new Rfc4733Event(_event, false, Volume, (ushort)(_sentContinuations * _interval));
            return true;
        }
        marker = _sentContinuations == 0 && _sentEnds == 0;
        _sentEnds++;
        if (_sentEnds == EndRepeats) IsActive = false;
        evt = new Rfc4733Event(_event, true, Volume, (ushort)_totalDuration);
        return true;
    }
}
