using CsCheck;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class RtpHeaderTests
{
    private static readonly Gen<(RtpHeader Header, uint[] Csrcs, byte[] Extension, byte[] Payload)> s_packets =
        Gen.Select(Gen.Byte[0, 127], Gen.UShort, Gen.UInt, Gen.UInt, Gen.Bool, Gen.UInt.Array[0, 15],
            Gen.Select(Gen.Bool, Gen.UShort, Gen.Int[0, 20]), Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 255]),
            (pt, seq, ts, ssrc, marker, csrcs, ext, body) =>
            {
                var (hasExtension, profile, words) = ext;
                var (payload, padding) = body;
                var extension = new byte[hasExtension ? words * 4 : 0];
                new Random(seq).NextBytes(extension);
                var header = new RtpHeader(pt, seq, ts, ssrc, marker, csrcs.Length, hasExtension, profile,
                    extension.Length, padding, payload.Length);
                return (header, csrcs, extension, payload);
            });

    [Fact]
    public void Random_headers_with_csrcs_extension_and_padding_round_trip()
    {
        s_packets.Sample(p =>
        {
            var buffer = new byte[p.Header.PacketLength];
            int offset = p.Header.WriteTo(buffer, p.Csrcs, p.Extension);
            p.Payload.CopyTo(buffer.AsSpan(offset));
            p.Header.WritePadding(buffer);

            Assert.True(RtpHeader.TryRead(buffer, out var read));
            Assert.Equal(p.Header.PayloadType, read.PayloadType);
            Assert.Equal(p.Header.SequenceNumber, read.SequenceNumber);
            Assert.Equal(p.Header.Timestamp, read.Timestamp);
            Assert.Equal(p.Header.Ssrc, read.Ssrc);
            Assert.Equal(p.Header.Marker, read.Marker);
            Assert.Equal(p.Header.HasExtension, read.HasExtension);
            Assert.Equal(p.Header.ExtensionProfile, read.ExtensionProfile);
            Assert.Equal(p.Header.PaddingLength, read.PaddingLength);
            Assert.Equal(p.Payload, read.GetPayload(buffer).ToArray());
            Assert.Equal(p.Extension, read.GetExtension(buffer).ToArray());
            for (int i = 0; i < p.Csrcs.Length; i++) Assert.Equal(p.Csrcs[i], read.GetCsrc(buffer, i));

            // Serialising what was read gives the same bytes.
            var again = new byte[read.PacketLength];
            int o2 = read.WriteTo(again, p.Csrcs, p.Extension);
            read.GetPayload(buffer).CopyTo(again.AsSpan(o2));
            read.WritePadding(again);
            Assert.Equal(buffer, again);
        }, iter: 2000);
    }

    [Fact]
    public void Reads_a_captured_PCMA_packet()
    {
        // First packet of SIPp's g711a.pcap: PT 8, marker clear.
        byte[] packet = [0x80, 0x08, 0x1F, 0x30, 0x00, 0x00, 0x33, 0xE0, 0xDE, 0xE0, 0xEE, 0x8F, 0xD5, 0xD5];
        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Equal(8, header.PayloadType);
        Assert.Equal(0x1F30, header.SequenceNumber);
        Assert.Equal(0x33E0u, header.Timestamp);
        Assert.Equal(0xDEE0EE8Fu, header.Ssrc);
        Assert.False(header.Marker);
        Assert.Equal(12, header.HeaderLength);
        Assert.Equal([0xD5, 0xD5], header.GetPayload(packet).ToArray());
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "shorter than the fixed header", [0x80, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
        { "version 1", [0x40, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "version 0 (STUN-like)", [0x00, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "CSRC list past the end", [0x82, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1] },
        { "extension header past the end", [0x90, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE] },
        { "extension data past the end", [0x90, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4] },
        { "padding count zero", [0xA0, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xD5, 0x00] },
        { "padding longer than the payload", [0xA0, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xD5, 0x03] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_malformed_packets_without_throwing(string why, byte[] packet)
    {
        Assert.False(RtpHeader.TryRead(packet, out _), why);
    }

    [Fact]
    public void Random_bytes_never_throw_and_accepted_packets_are_self_consistent()
    {
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            if (RtpHeader.TryRead(bytes, out var header))
                Assert.Equal(bytes.Length, header.PacketLength);
        }, iter: 5000);
    }

    [Fact]
    public void Writing_checks_the_announced_csrc_count()
    {
        var header = new RtpHeader(0, 1, 2, 3, false, 2, false, 0, 0, 0, 0);
        Assert.Throws<ArgumentException>(() => header.WriteTo(new byte[64], [1u]));
    }

    [Fact]
    public void Reading_and_writing_allocate_nothing()
    {
        var header = new RtpHeader(8, 1, 2, 3, false, 0, false, 0, 0, 0, 160);
        var packet = new byte[header.PacketLength];
        header.WriteTo(packet);
        RtpHeader.TryRead(packet, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            header = header.With((ushort)i, (uint)(160 * i), false, 160);
            sum += header.WriteTo(packet);
            RtpHeader.TryRead(packet, out var read);
            sum += read.GetPayload(packet).Length;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }
}
