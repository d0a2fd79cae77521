using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class RtcpTests
{
    private static readonly RtcpReportBlock s_block = new(0x11223344, 56, -3, 0x0001_FFF0, 123, 0xAABBCCDD, 32768);

    private static RtcpCompoundPacket RoundTrip(RtcpCompoundPacket compound)
    {
        var buffer = new byte[compound.Length];
        Assert.Equal(buffer.Length, compound.WriteTo(buffer));
        Assert.True(RtcpCompoundPacket.TryRead(buffer, out var read, out var error), error);
        return read!;
    }

    [Fact]
    public void Sender_report_with_blocks_sdes_and_bye_round_trips()
    {
        var compound = new RtcpCompoundPacket([
            new RtcpSenderReport(0xCAFEBABE, 0xE1234567_89ABCDEF, 160_000, 500, 80_000, [s_block, s_block with { Ssrc = 7, CumulativeLost = 0x7FFFFF }]),
            new RtcpSourceDescription([
                new SdesChunk(0xCAFEBABE, [new SdesItem(SdesItemType.CName, "hotline@10.0.0.5"), new SdesItem(SdesItemType.Tool, "Hotline 热线")]),
                new SdesChunk(0x01020304, [new SdesItem(SdesItemType.CName, "abc")]),
            ]),
            new RtcpGoodbye([0xCAFEBABE, 0x01020304], "call ended"),
        ]);
        var read = RoundTrip(compound);

        var sr = Assert.IsType<RtcpSenderReport>(read.Packets[0]);
        Assert.Equal(0xCAFEBABEu, sr.Ssrc);
        Assert.Equal(0xE1234567_89ABCDEFul, sr.NtpTimestamp);
        Assert.Equal(160_000u, sr.RtpTimestamp);
        Assert.Equal(500u, sr.PacketCount);
        Assert.Equal(80_000u, sr.OctetCount);
        Assert.Equal([s_block, s_block with { Ssrc = 7, CumulativeLost = 0x7FFFFF }], sr.ReportBlocks);

        var sdes = Assert.IsType<RtcpSourceDescription>(read.Packets[1]);
        Assert.Equal("hotline@10.0.0.5", sdes.Chunks[0].CName);
        Assert.Equal("Hotline 热线", sdes.Chunks[0].Items[1].Text);
        Assert.Equal("abc", sdes.Chunks[1].CName);
        Assert.Equal(0x01020304u, sdes.Chunks[1].Ssrc);

        var bye = Assert.IsType<RtcpGoodbye>(read.Packets[2]);
        Assert.Equal([0xCAFEBABEu, 0x01020304u], bye.Ssrcs);
        Assert.Equal("call ended", bye.Reason);
    }

    [Fact]
    public void Receiver_report_without_blocks_and_bye_without_reason_round_trip()
    {
        var read = RoundTrip(new RtcpCompoundPacket([
            new RtcpReceiverReport(42), new RtcpSourceDescription(42, "x"), new RtcpGoodbye([42u])]));
        Assert.Empty(Assert.IsType<RtcpReceiverReport>(read.Packets[0]).ReportBlocks);
        Assert.Equal(42u, read.Find<RtcpReceiverReport>()!.Ssrc);
        Assert.Null(read.Find<RtcpGoodbye>()!.Reason);
    }

    [Fact]
    public void Sdes_chunk_is_padded_with_at_least_one_null_octet()
    {
        // 4 (SSRC) + 2 + 2 ("ab") = 8 bytes, so the END octet needs a whole extra word.
        var sdes = new RtcpSourceDescription(1, "ab");
        Assert.Equal(4 + 12, sdes.Length);
        var buffer = new byte[sdes.Length];
        sdes.WriteTo(buffer);
        Assert.Equal([0x81, 202, 0, 3], buffer[..4]);
        Assert.Equal(0, buffer[12]);
    }

    [Fact]
    public void Negative_cumulative_loss_survives_the_24_bit_field()
    {
        var buffer = new byte[RtcpReportBlock.Length];
        (s_block with { CumulativeLost = -5 }).WriteTo(buffer);
        Assert.Equal(-5, RtcpReportBlock.Read(buffer).CumulativeLost);
    }

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "first packet is SDES", [0x81, 202, 0, 1, 0, 0, 0, 1] },
        { "version 1", [0x40, 201, 0, 1, 0, 0, 0, 1] },
        { "length runs past the datagram", [0x80, 201, 0, 5, 0, 0, 0, 1] },
        { "trailing bytes that are not a packet", [0x80, 201, 0, 1, 0, 0, 0, 1, 0x00] },
        { "padding in the first of two packets", [0xA0, 201, 0, 1, 0, 0, 0, 1, 0x81, 202, 0, 1, 0, 0, 0, 1] },
        { "report count larger than the packet", [0x81, 201, 0, 1, 0, 0, 0, 1] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Compound_validation_per_RFC3550_A2_rejects(string why, byte[] datagram)
    {
        Assert.False(RtcpCompoundPacket.TryRead(datagram, out _, out var error), why);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Unknown_packet_types_are_kept()
    {
        byte[] datagram = [0x80, 201, 0, 1, 0, 0, 0, 1, 0x80, 207, 0, 1, 9, 9, 9, 9];
        Assert.True(RtcpCompoundPacket.TryRead(datagram, out var read, out _));
        var xr = Assert.IsType<RtcpUnknownPacket>(read!.Packets[1]);
        Assert.Equal(207, xr.RawPacketType);
        Assert.Equal([9, 9, 9, 9], xr.Body);
    }

    [Fact]
    public void Ntp_timestamp_round_trips_to_the_tick_and_exposes_its_middle_bits()
    {
        var time = new DateTimeOffset(2025, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);
        ulong ntp = NtpTimestamp.FromDateTime(time);
        Assert.Equal(0.25, (ntp & 0xFFFFFFFF) / 4294967296.0, 9);
        Assert.True(Math.Abs((NtpTimestamp.ToDateTime(ntp) - time).Ticks) <= 1);
        Assert.Equal((uint)(ntp >> 16), NtpTimestamp.Middle32(ntp));
    }
}
