using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Hotline.Media.Rtp;

/// <summary>
/// The RTP fixed header with its CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
/// A view over the caller's buffer: reading copies no bytes, the payload stays a slice of the packet.
/// </summary>
public readonly struct RtpHeader
{
    /// <summary>Size of the fixed header (RFC 3550 §5.1).</summary>
    public const int FixedLength = 12;

    /// <summary>RTP version 2, the only one in use (RFC 3550 §5.1).</summary>
    public const int Version = 2;

    /// <summary>At most 15 contributing sources fit in the 4-bit CC field.</summary>
    public const int MaxCsrcCount = 15;

    public RtpHeader(byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker = false)
        : this(payloadType, sequenceNumber, timestamp, ssrc, marker, 0, false, 0, 0, 0, 0)
    {
    }

    /// <param name="extensionLength">Bytes of header-extension data after its 4-byte header; a multiple of 4.</param>
    /// <param name="paddingLength">Padding bytes after the payload including the final count byte (0 = no padding).</param>
    public RtpHeader(byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker,
        int csrcCount, bool hasExtension, ushort extensionProfile, int extensionLength, int paddingLength, int payloadLength)
    {
        if (payloadType > 127) ThrowArgument(nameof(payloadType), "payload type is 7 bits");
        if ((uint)csrcCount > MaxCsrcCount) ThrowArgument(nameof(csrcCount), "CSRC count is 0..15");
        if (extensionLength < 0 || extensionLength % 4 != 0 || extensionLength > ushort.MaxValue * 4)
            ThrowArgument(nameof(extensionLength), "extension length is a multiple of 4 up to 262140 bytes");
        if (!hasExtension && extensionLength != 0) ThrowArgument(nameof(extensionLength), "extension data without extension");
        if ((uint)paddingLength > 255) ThrowArgument(nameof(paddingLength), "padding is 0..255 bytes");
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        Marker = marker;
        CsrcCount = csrcCount;
        HasExtension = hasExtension;
        ExtensionProfile = hasExtension ? extensionProfile : (ushort)0;
        ExtensionLength = extensionLength;
        PaddingLength = paddingLength;
        PayloadLength = payloadLength;
    }

    public byte PayloadType { get; }
    public ushort SequenceNumber { get; }
    public uint Timestamp { get; }
    public uint Ssrc { get; }
    public bool Marker { get; }
    public int CsrcCount { get; }
    public bool HasExtension { get; }

    /// <summary>The "defined by profile" 16 bits of the header extension (e.g. 0xBEDE for RFC 8285 one-byte headers).</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>Bytes of extension data, not counting the extension's own 4-byte header.</summary>
    public int ExtensionLength { get; }

    /// <summary>Padding bytes at the end of the packet, including the count byte; 0 when the P bit is clear.</summary>
    public int PaddingLength { get; }

    /// <summary>Bytes of payload (as read, or as announced for writing).</summary>
    public int PayloadLength { get; }

    /// <summary>Offset of the payload from the start of the packet.</summary>
    public int HeaderLength => FixedLength + 4 * CsrcCount + (HasExtension ? 4 + ExtensionLength : 0);

    /// <summary>Length of the whole packet: header, payload and padding.</summary>
    public int PacketLength => HeaderLength + PayloadLength + PaddingLength;

    /// <summary>
    /// Reads and validates a header (RFC 3550 §5.1 and A.1's header validity checks: version 2,
    /// CSRC list and extension inside the packet, padding count inside the payload area).
    /// Never throws; returns false for anything that is not a well-formed RTP packet.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength) return false;
        byte b0 = packet[0];
        if (b0 >> 6 != Version) return false;
        bool padding = (b0 & 0x20) != 0;
        bool extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        byte b1 = packet[1];

        int offset = FixedLength + 4 * csrcCount;
        ushort profile = 0;
        int extensionLength = 0;
        if (extension)
        {
            if (packet.Length < offset + 4) return false;
            profile = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset));
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2));
            offset += 4 + extensionLength;
        }
        if (packet.Length < offset) return false;

        int paddingLength = 0;
        if (padding)
        {
            // §5.1: the last octet counts the padding, itself included; zero is not a valid count.
            paddingLength = packet[^1];
            if (paddingLength == 0 || paddingLength > packet.Length - offset) return false;
        }

        header = new RtpHeader(
            (byte)(b1 & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8)),
            (b1 & 0x80) != 0,
            csrcCount, extension, profile, extensionLength, paddingLength,
            packet.Length - offset - paddingLength, trusted: true);
        return true;
    }

    // Reading has already validated every field, so skip the argument checks.
    private RtpHeader(byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker,
        int csrcCount, bool hasExtension, ushort extensionProfile, int extensionLength, int paddingLength, int payloadLength,
        bool trusted)
    {
        _ = trusted;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        Marker = marker;
        CsrcCount = csrcCount;
        HasExtension = hasExtension;
        ExtensionProfile = extensionProfile;
        ExtensionLength = extensionLength;
        PaddingLength = paddingLength;
        PayloadLength = payloadLength;
    }

    /// <summary>The payload of <paramref name="packet"/>, the buffer this header was read from.</summary>
    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    /// <summary>Contributing source <paramref name="index"/> of the packet this header was read from.</summary>
    public uint GetCsrc(ReadOnlySpan<byte> packet, int index)
    {
        if ((uint)index >= (uint)CsrcCount) ThrowArgument(nameof(index), "no such CSRC");
        return BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(FixedLength + 4 * index));
    }

    /// <summary>Header-extension data (after its 4-byte header) of the packet this header was read from.</summary>
    public ReadOnlySpan<byte> GetExtension(ReadOnlySpan<byte> packet) =>
        HasExtension ? packet.Slice(FixedLength + 4 * CsrcCount + 4, ExtensionLength) : default;

    /// <summary>
    /// Writes the header (fixed part, <paramref name="csrcs"/>, extension) and returns <see cref="HeaderLength"/>.
    /// The caller puts the payload at that offset, then calls <see cref="WritePadding"/> when it asked for padding.
    /// </summary>
    public int WriteTo(Span<byte> destination, ReadOnlySpan<uint> csrcs = default, ReadOnlySpan<byte> extension = default)
    {
        if (csrcs.Length != CsrcCount) ThrowArgument(nameof(csrcs), $"header announces {CsrcCount} CSRCs, {csrcs.Length} given");
        if (extension.Length != ExtensionLength) ThrowArgument(nameof(extension), $"header announces {ExtensionLength} extension bytes, {extension.Length} given");
        int length = HeaderLength;
        if (destination.Length < length) ThrowArgument(nameof(destination), "buffer too small for the RTP header");

        destination[0] = (byte)(Version << 6 | (PaddingLength > 0 ? 0x20 : 0) | (HasExtension ? 0x10 : 0) | CsrcCount);
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), Ssrc);
        int offset = FixedLength;
        foreach (uint csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), csrc);
            offset += 4;
        }
        if (HasExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), ExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset + 2), (ushort)(ExtensionLength / 4));
            extension.CopyTo(destination.Slice(offset + 4));
        }
        return length;
    }

    /// <summary>
    /// Writes <see cref="PaddingLength"/> bytes of padding after the payload: zeros, then the count (RFC 3550 §5.1).
    /// Returns the bytes written.
    /// </summary>
    public int WritePadding(Span<byte> packet)
    {
        if (PaddingLength == 0) return 0;
        int start = HeaderLength + PayloadLength;
        if (packet.Length < start + PaddingLength) ThrowArgument(nameof(packet), "buffer too small for the padding");
        Span<byte> padding = packet.Slice(start, PaddingLength);
        padding.Clear();
        padding[^1] = (byte)PaddingLength;
        return PaddingLength;
    }

    /// <summary>A copy with another sequence number, timestamp and marker (what a sender changes per packet).</summary>
    public RtpHeader With(ushort sequenceNumber, uint timestamp, bool marker, int payloadLength) =>
        new(PayloadType, sequenceNumber, timestamp, Ssrc, marker, CsrcCount, HasExtension, ExtensionProfile,
            ExtensionLength, PaddingLength, payloadLength, trusted: true);

    public override string ToString() =>
        $"RTP PT={PayloadType} seq={SequenceNumber} ts={Timestamp} ssrc=0x{Ssrc:x8}{(Marker ? " M" : "")} payload={PayloadLength}";

    [DoesNotReturn]
    private static void ThrowArgument(string name, string message) => throw new ArgumentException(message, name);
}
