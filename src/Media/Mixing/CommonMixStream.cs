using Hotline.Media.Codecs;

namespace Hotline.Media.Mixing;

/// <summary>
/// The common mix of an <see cref="AudioMixer"/> (<see cref="AudioMixer.CommonMix"/>) encoded once per tick for
/// every participant of one codec and frame length that hears it, as Asterisk's bridge_softmix does: only
/// members in the mix need a mix-minus of their own. Only the payload is shared; each stream keeps its own
/// RTP sequence numbers, timestamps and SSRC.
/// <para>
/// Stateful codecs: a far-end decoder follows the encoder whose codes it receives. G.711 and L16 have no
/// state, so a member moves between its own stream and the shared one freely. G.722's ADPCM state is small
/// and copyable: a member leaving the shared stream continues with a copy of the shared encoder's state as it
/// stood after the last payload it was sent, which its far end has been following, so leaving is exact
/// (<see cref="HandOver"/>). Joining cannot be made exact that way (the shared encoder serves others) and
/// waiting for the member's encoder to fall into step does not work (two G.722 encoders fed the same signal
/// from different states stayed apart over a second of tone and of silence), so a member joins after one
/// frame of the common mix coded on its own, and its far end's ADPCM decoder re-converges: measured on tones
/// (tests/…/Mixing/CommonMixTests), the first 20 ms after joining decode at 17–34 dB SNR against the ideal,
/// above 40 dB from 60 ms on (a listener's steady state: 52 dB). That happens once each time a member
/// stops talking; without the hand-over, leaving would garble 40 ms (−12 dB). Opus (Concentus) keeps a
/// large encoder state that cannot be copied cheaply, so a member could not leave exactly: Opus members keep
/// their own encoding (<see cref="CanShare"/> is false).
/// </para>
/// One per mixer and codec, since the tick numbers it keys on are its mixer's; worker thread only; allocates
/// nothing per tick.
/// </summary>
public sealed class CommonMixStream
{
    private readonly IAudioEncoder _encoder;
    private readonly G722Encoder? _g722;
    private readonly G722Encoder? _g722Before;   // the shared G.722 state before this tick's payload
    private readonly byte[] _payload;
    private int _length;
    private long _encodedTick = long.MinValue;

    private CommonMixStream(AudioCodecInfo codec, int frameSamples, IAudioEncoder encoder)
    {
        Codec = codec;
        FrameSamples = frameSamples;
        _encoder = encoder;
        _g722 = encoder as G722Encoder;
        if (_g722 is not null)
            _g722Before = new G722Encoder();
        _payload = new byte[frameSamples * 2 + 16];
    }

    public AudioCodecInfo Codec { get; }
    public int FrameSamples { get; }

    /// <summary>Payloads encoded (one per tick at most, however many members receive it).</summary>
    public long Encoded { get; private set; }

    /// <summary>
    /// Whether members' streams of <paramref name="codec"/> can switch to and from a shared stream without
    /// desynchronising their far end: stateless codecs and G.722.
    /// </summary>
    public static bool CanShare(AudioCodecInfo codec) =>
        codec.Name.ToUpperInvariant() is "PCMU" or "PCMA" or "L16" or "G722" && codec.Channels == 1;

    /// <summary>A shared stream for <paramref name="codec"/>, or null when it cannot be shared (<see cref="CanShare"/>).</summary>
    public static CommonMixStream? Create(AudioCodecInfo codec, int frameSamples) =>
        CanShare(codec) && AudioCodecFactory.TryCreateEncoder(codec, out var encoder)
            ? new CommonMixStream(codec, frameSamples, encoder!)
            : null;

    /// <summary>This tick's payload of <paramref name="commonMix"/>, encoded on the first call of the tick.</summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<short> commonMix, long tick)
    {
        if (_encodedTick != tick)
        {
            _encodedTick = tick;
            _g722Before?.CopyStateFrom(_g722!);
            _length = commonMix.Length == FrameSamples ? _encoder.Encode(commonMix, _payload) : 0;
            Encoded++;
        }
        return _payload.AsSpan(0, _length);
    }

    /// <summary>
    /// A member leaves the shared stream at <paramref name="tick"/>: its own encoder continues from the state its
    /// far end has followed, that of the shared encoder after the last payload the member was sent (tick − 1).
    /// </summary>
    public void HandOver(IAudioEncoder to, long tick)
    {
        if (_g722 is not null && to is G722Encoder own)
            own.CopyStateFrom(_encodedTick == tick ? _g722Before! : _g722);
    }

    /// <summary>
    /// Called after <paramref name="own"/> encoded this tick's common mix too: true when a far end following
    /// <paramref name="own"/> would follow the shared stream from the next tick without a glitch (always for
    /// stateless codecs; for G.722 when both ADPCM states are identical).
    /// </summary>
    public bool Follows(IAudioEncoder own, long tick) =>
        _g722 is null || (_encodedTick == tick && own is G722Encoder g722 && g722.SameAdpcmStateAs(_g722));
}
