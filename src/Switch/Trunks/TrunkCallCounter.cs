namespace Hotline.Switch.Trunks;

/// <summary>
/// The calls a trunk carries now and the calls it started in the last minute (a sliding window).
/// Both limits guard against toll fraud: a hijacked extension or a leaky route shows up as a burst.
/// </summary>
internal sealed class TrunkCallCounter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _starts = new();
    private int _active;

    public int Active
    {
        get
        {
            lock (_gate) return _active;
        }
    }

    public int StartedInLastMinute(DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            return _starts.Count;
        }
    }

    /// <summary>Takes a slot when both limits (0 = none) allow it.</summary>
    public bool TryTake(int maxConcurrent, int maxPerMinute, DateTimeOffset now, out string? refusal)
    {
        lock (_gate)
        {
            Expire(now);
            if (maxConcurrent > 0 && _active >= maxConcurrent)
            {
                refusal = $"{_active} calls up, the limit is {maxConcurrent}";
                return false;
            }
            if (maxPerMinute > 0 && _starts.Count >= maxPerMinute)
            {
                refusal = $"{_starts.Count} calls started in the last minute, the limit is {maxPerMinute}";
                return false;
            }
            _active++;
            _starts.Enqueue(now);
            refusal = null;
            return true;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            if (_active > 0) _active--;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_starts.Count > 0 && now - _starts.Peek() >= Window) _starts.Dequeue();
    }
}
