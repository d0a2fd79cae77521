namespace Hotline.Media.Rtp;

/// <summary>
/// Hands out RTP ports from a configured range: always even, with RTCP on the odd port above (RFC 3550
/// §11). Thread-safe. A port is never handed out twice while in use, nor when the optional probe says the
/// operating system has it bound elsewhere. Allocation goes round the range, so a just-released port is the
/// last to be reused and late packets of an old call do not land in a new one.
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly Lock _lock = new();
    private readonly bool[] _inUse;
    private readonly Func<int, bool>? _isPairFree;
    private int _next;
    private int _count;

    /// <param name="minPort">Lowest port of the range (rounded up to even).</param>
    /// <param name="maxPort">Highest port of the range; the last pair must fit (RTCP = RTP + 1 ≤ maxPort).</param>
    /// <param name="isPairFree">
    /// Optional check that both ports of a pair are free on the host (e.g. a trial bind); a pair that fails
    /// it is skipped for this allocation.
    /// </param>
    public RtpPortAllocator(int minPort, int maxPort, Func<int, bool>? isPairFree = null)
    {
        int first = (minPort + 1) & ~1;
        if (first < 1024 || maxPort > 65535 || first + 1 > maxPort)
            throw new ArgumentOutOfRangeException(nameof(minPort), $"RTP port range {minPort}-{maxPort} holds no even/odd pair within 1024-65535");
        MinPort = first;
        MaxPort = maxPort;
        _inUse = new bool[(maxPort - first + 1) / 2];
        _isPairFree = isPairFree;
    }

    public int MinPort { get; }
    public int MaxPort { get; }

    /// <summary>Pairs in the range.</summary>
    public int Capacity => _inUse.Length;

    /// <summary>Pairs handed out and not yet released.</summary>
    public int InUse { get { lock (_lock) return _count; } }

    /// <summary>Allocates an even RTP port (RTCP is the port + 1); false when every pair is taken.</summary>
    public bool TryAllocate(out int rtpPort)
    {
        lock (_lock)
        {
            for (int tried = 0; tried < _inUse.Length; tried++)
            {
                int index = _next;
                _next = (_next + 1) % _inUse.Length;
                if (_inUse[index]) continue;
                int port = MinPort + 2 * index;
                if (_isPairFree is not null && !_isPairFree(port)) continue;
                _inUse[index] = true;
                _count++;
                rtpPort = port;
                return true;
            }
        }
        rtpPort = 0;
        return false;
    }

    /// <summary>Allocates a pair or throws, naming the range, when none is free.</summary>
    public int Allocate()
    {
        if (TryAllocate(out int port)) return port;
        throw new InvalidOperationException(
            $"RTP port range {MinPort}-{MaxPort} exhausted: all {Capacity} port pairs are in use or busy on the host");
    }

    /// <summary>Returns a pair to the pool. Releasing a port that was not allocated is a bug and throws.</summary>
    public void Release(int rtpPort)
    {
        int index = (rtpPort - MinPort) / 2;
        if ((rtpPort & 1) != 0 || rtpPort < MinPort || index >= _inUse.Length)
            throw new ArgumentOutOfRangeException(nameof(rtpPort), $"{rtpPort} is not an RTP port of {MinPort}-{MaxPort}");
        lock (_lock)
        {
            if (!_inUse[index]) throw new InvalidOperationException($"RTP port {rtpPort} released twice");
            _inUse[index] = false;
            _count--;
        }
    }
}
