using System.Buffers.Binary;

namespace Hotline.Media.Tests.Dtmf;

/// <summary>
/// Just enough of libpcap's file format to pull UDP payloads out of a capture: classic pcap (either byte
/// order, micro- or nanosecond timestamps), Ethernet or Linux cooked (SLL) framing, IPv4, UDP.
/// </summary>
internal static class PcapReader
{
    public readonly record struct UdpDatagram(TimeSpan Time, int SourcePort, int DestinationPort, byte[] Payload);

    private const int LinkEthernet = 1;
    private const int LinkLinuxCooked = 113;

    public static List<UdpDatagram> ReadUdp(string path)
    {
        var data = File.ReadAllBytes(path);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool little = magic is 0xA1B2C3D4 or 0xA1B23C4D;
        bool nanos = magic is 0xA1B23C4D or 0x4D3CB2A1;
        if (!little && magic is not (0xD4C3B2A1 or 0x4D3CB2A1)) throw new InvalidDataException($"{path}: not a pcap file");
        uint U32(int offset) => little ? BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
        int linkType = (int)U32(20);
        if (linkType is not (LinkEthernet or LinkLinuxCooked)) throw new InvalidDataException($"{path}: link type {linkType} not supported");

        var result = new List<UdpDatagram>();
        int offset = 24;
        TimeSpan? first = null;
        while (offset + 16 <= data.Length)
        {
            long seconds = U32(offset), fraction = U32(offset + 4);
            int captured = (int)U32(offset + 8);
            var frame = data.AsSpan(offset + 16, captured);
            offset += 16 + captured;
            var time = TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond + (nanos ? fraction / 100 : fraction * 10));
            first ??= time;

            int etherType, ipStart;
            if (linkType == LinkEthernet) { etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)); ipStart = 14; }
            else { etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(14)); ipStart = 16; }
            if (etherType != 0x0800) continue; // IPv4 only
            var ip = frame.Slice(ipStart);
            int headerLength = (ip[0] & 0x0F) * 4;
            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2));
            if (ip[9] != 17) continue; // UDP
            var udp = ip.Slice(headerLength, totalLength - headerLength);
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(4));
            result.Add(new UdpDatagram(time - first.Value,
                BinaryPrimitives.ReadUInt16BigEndian(udp), BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(2)),
                udp.Slice(8, udpLength - 8).ToArray()));
        }
        return result;
    }
}
