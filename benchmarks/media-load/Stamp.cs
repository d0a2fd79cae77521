using System.Buffers.Binary;
using Hotline.Media.Codecs;

namespace Hotline.MediaLoad;

/// <summary>
/// Carries (sending leg, sequence, send time) inside a G.711 payload so the generator can match what
/// comes back to what it sent, even through transcoding: the 16 bytes are written as 32 nibbles, each as
/// one of 16 sample codes that survive A-law → linear → µ-law (or the reverse) unchanged in meaning.
/// The engine decodes and re-encodes sample by sample with no filtering between 8 kHz legs, so such a
/// code maps to a fixed code of the other law, and the receiver reads the nibble back from it.
/// </summary>
internal sealed class Stamp
{
    public const int Nibbles = 32;
    private readonly byte[] _alaw = new byte[16];
    private readonly byte[] _ulaw = new byte[16];
    private readonly sbyte[] _fromAlawSent = new sbyte[256];   // received byte → nibble, for each (sent law, received law)
    private readonly sbyte[] _fromUlawSent = new sbyte[256];
    private readonly sbyte[] _alawRelayed = new sbyte[256];
    private readonly sbyte[] _ulawRelayed = new sbyte[256];

    public Stamp()
    {
        // Sixteen A-law codes of distinct, well separated magnitudes whose µ-law image converts back to them.
        var aDecoder = new PcmaDecoder();
        var uDecoder = new PcmuDecoder();
        var aEncoder = new PcmaEncoder();
        var uEncoder = new PcmuEncoder();
        int found = 0;
        for (int code = 0; code < 256 && found < 16; code += 7)
        {
            byte a = (byte)code;
            short linear = Decode(aDecoder, a);
            byte u = Encode(uEncoder, linear);
            if (Encode(aEncoder, Decode(uDecoder, u)) != a || Array.IndexOf(_ulaw, u, 0, found) >= 0 || Array.IndexOf(_alaw, a, 0, found) >= 0)
                continue;
            _alaw[found] = a;
            _ulaw[found] = u;
            found++;
        }
        if (found < 16)
            throw new InvalidOperationException("not enough G.711 codes survive A-law/µ-law conversion");
        Array.Fill(_fromAlawSent, (sbyte)-1);
        Array.Fill(_fromUlawSent, (sbyte)-1);
        Array.Fill(_alawRelayed, (sbyte)-1);
        Array.Fill(_ulawRelayed, (sbyte)-1);
        for (int n = 0; n < 16; n++)
        {
            _fromAlawSent[_ulaw[n]] = (sbyte)n;   // sent as A-law, arrives as µ-law
            _fromUlawSent[_alaw[n]] = (sbyte)n;   // sent as µ-law, arrives as A-law
            _alawRelayed[_alaw[n]] = (sbyte)n;
            _ulawRelayed[_ulaw[n]] = (sbyte)n;
        }
    }

    /// <summary>Writes the stamp into the first <see cref="Nibbles"/> bytes of a payload in the sender's law.</summary>
    public void Write(Span<byte> payload, bool alaw, int leg, int sequence, long sendTicks)
    {
        Span<byte> raw = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(raw, leg);
        BinaryPrimitives.WriteInt32LittleEndian(raw[4..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(raw[8..], sendTicks);
        var codes = alaw ? _alaw : _ulaw;
        for (int i = 0; i < 16; i++)
        {
            payload[2 * i] = codes[raw[i] >> 4];
            payload[2 * i + 1] = codes[raw[i] & 0xF];
        }
    }

    /// <summary>Reads a stamp from a payload that arrived in <paramref name="receivedAlaw"/>; false when it is not intact (concealed audio).</summary>
    public bool TryRead(ReadOnlySpan<byte> payload, bool sentAlaw, bool receivedAlaw, out int leg, out int sequence, out long sendTicks)
    {
        leg = sequence = 0;
        sendTicks = 0;
        if (payload.Length < Nibbles)
            return false;
        var table = sentAlaw == receivedAlaw
            ? (receivedAlaw ? _alawRelayed : _ulawRelayed)
            : (sentAlaw ? _fromAlawSent : _fromUlawSent);
        Span<byte> raw = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int high = table[payload[2 * i]], low = table[payload[2 * i + 1]];
            if (high < 0 || low < 0)
                return false;
            raw[i] = (byte)(high << 4 | low);
        }
        leg = BinaryPrimitives.ReadInt32LittleEndian(raw);
        sequence = BinaryPrimitives.ReadInt32LittleEndian(raw[4..]);
        sendTicks = BinaryPrimitives.ReadInt64LittleEndian(raw[8..]);
        return true;
    }

    private static short Decode(IAudioDecoder decoder, byte code)
    {
        Span<short> pcm = stackalloc short[1];
        decoder.Decode([code], pcm);
        return pcm[0];
    }

    private static byte Encode(IAudioEncoder encoder, short sample)
    {
        Span<byte> payload = stackalloc byte[1];
        encoder.Encode([sample], payload);
        return payload[0];
    }
}
