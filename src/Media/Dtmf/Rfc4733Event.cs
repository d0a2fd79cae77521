using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Hotline.Media.Dtmf;

/// <summary>
/// The telephone-event payload (RFC 4733 §2.3): event code, end bit, volume (0 to -63 dBm0, as a
/// positive number) and duration in timestamp units since the event's timestamp.
/// </summary>
public readonly record struct Rfc4733Event(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>The DTMF key of this event, or '\0' when the code is not 0-15.</summary>
    public char Digit => DtmfDigits.FromEventCode(Event);

    /// <summary>Reads the first event of a payload; false when it is shorter than 4 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out Rfc4733Event evt)
    {
        if (payload.Length < Length)
        {
            evt = default;
            return false;
        }
        // Byte 1: E bit, R bit (reserved, ignored on receipt), 6-bit volume.
        evt = new Rfc4733Event(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2)));
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        if (Volume > 63) ThrowVolume();
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), Duration);
        return Length;
    }

    [DoesNotReturn]
    private static void ThrowVolume() => throw new InvalidOperationException("telephone-event volume is 0..63");
}
