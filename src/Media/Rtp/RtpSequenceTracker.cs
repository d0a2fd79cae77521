namespace Hotline.Media.Rtp;

/// <summary>What <see cref="RtpSequenceTracker.Update"/> made of a packet's sequence number.</summary>
public enum RtpSequenceStatus
{
    /// <summary>In sequence, or a small gap / reorder: count it.</summary>
    Valid,
    /// <summary>The source is still on probation (RFC 3550 A.1: MIN_SEQUENTIAL packets in a row are needed).</summary>
    Probation,
    /// <summary>A large jump; remembered, and the next packet in sequence after it resyncs the stream.</summary>
    BadJump,
    /// <summary>A large jump confirmed by the packet after it: the tracker restarted from this packet.</summary>
    Resynced,
}

/// <summary>
/// Per-source sequence state of RFC 3550 Appendix A.1 (<c>init_seq</c>/<c>update_seq</c>): probation, the
/// extended highest sequence number (cycles of 2^16 + max_seq), and resync after the sender restarts.
/// A mutable struct owned by one stream; no allocation.
/// </summary>
public struct RtpSequenceTracker
{
    /// <summary>Packets in sequence before a new source is valid (A.1 MIN_SEQUENTIAL).</summary>
    public const int MinSequential = 2;
    /// <summary>Largest forward gap still taken as loss (A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;
    /// <summary>Largest backward step still taken as reordering (A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;
    private const int SequenceMod = 1 << 16;

    private ushort _maxSeq;
    private uint _cycles;
    private uint _badSeq;
    private int _probation;
    private bool _initialized;

    /// <summary>First extended sequence number counted (A.1 base_seq).</summary>
    public uint BaseSequence { get; private set; }

    /// <summary>Packets counted as received, duplicates included (A.1 received).</summary>
    public uint Received { get; private set; }

    /// <summary>Highest sequence number seen, extended with the wrap count (A.3 extended_max).</summary>
    public readonly uint ExtendedHighest => _cycles + _maxSeq;

    /// <summary>Times the sequence number wrapped through 65535.</summary>
    public readonly uint Cycles => _cycles >> 16;

    public readonly bool IsValid => _initialized && _probation == 0;

    /// <summary>A.1 init_seq: start over from <paramref name="sequenceNumber"/>.</summary>
    public void Init(ushort sequenceNumber)
    {
        _initialized = true;
        BaseSequence = sequenceNumber;
        _maxSeq = sequenceNumber;
        _badSeq = SequenceMod + 1; // so seq == bad_seq is false
        _cycles = 0;
        Received = 0;
    }

    /// <summary>A.1 update_seq: accounts one packet and says what it was.</summary>
    public RtpSequenceStatus Update(ushort sequenceNumber)
    {
        if (!_initialized)
        {
            Init(sequenceNumber);
            _maxSeq = (ushort)(sequenceNumber - 1);
            _probation = MinSequential;
        }

        ushort udelta = (ushort)(sequenceNumber - _maxSeq);

        // A source is not valid until MIN_SEQUENTIAL packets with sequential numbers have arrived.
        if (_probation > 0)
        {
            if (sequenceNumber == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = sequenceNumber;
                if (_probation == 0)
                {
                    Init(sequenceNumber);
                    Received++;
                    return RtpSequenceStatus.Valid;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = sequenceNumber;
            }
            return RtpSequenceStatus.Probation;
        }

        if (udelta < MaxDropout)
        {
            // In order, with a permissible gap.
            if (sequenceNumber < _maxSeq) _cycles += SequenceMod;
            _maxSeq = sequenceNumber;
        }
        else if (udelta <= SequenceMod - MaxMisorder)
        {
            // The sequence number made a very large jump.
            if (sequenceNumber == _badSeq)
            {
                // Two sequential packets: assume the other side restarted without telling us.
                Init(sequenceNumber);
                Received++;
                return RtpSequenceStatus.Resynced;
            }
            _badSeq = (uint)((sequenceNumber + 1) & (SequenceMod - 1));
            return RtpSequenceStatus.BadJump;
        }
        // else: duplicate or reordered packet.
        Received++;
        return RtpSequenceStatus.Valid;
    }
}
