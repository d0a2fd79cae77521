using System.Buffers.Binary;
using System.Text;

namespace Hotline.Media.Rtp;

/// <summary>SDES item types (RFC 3550 §6.5).</summary>
public enum SdesItemType : byte
{
    End = 0,
    CName = 1,
    Name = 2,
    Email = 3,
    Phone = 4,
    Location = 5,
    Tool = 6,
    Note = 7,
    Private = 8,
}

/// <summary>One SDES item: type and UTF-8 text of at most 255 bytes.</summary>
public readonly record struct SdesItem(SdesItemType Type, string Text);

/// <summary>One SDES chunk: a source and its items.</summary>
public sealed record SdesChunk(uint Ssrc, IReadOnlyList<SdesItem> Items)
{
    /// <summary>The CNAME item, which every chunk of a compound packet's SDES should carry (§6.5.1).</summary>
    public string? CName => Items.FirstOrDefault(i => i.Type == SdesItemType.CName).Text;

    // SSRC, items (type, length, text), then at least one zero octet padding to a 32-bit boundary (§6.5).
    internal int Length
    {
        get
        {
            int length = 4;
            foreach (var item in Items) length += 2 + Encoding.UTF8.GetByteCount(item.Text);
            return (length + 4) & ~3;
        }
    }
}

/// <summary>RTCP SDES (RFC 3550 §6.5).</summary>
public sealed class RtcpSourceDescription : RtcpPacket
{
    public RtcpSourceDescription(IReadOnlyList<SdesChunk> chunks)
    {
        if (chunks.Count > 31) throw new ArgumentException("at most 31 chunks per SDES", nameof(chunks));
        foreach (var chunk in chunks)
        foreach (var item in chunk.Items)
        {
            if (item.Type == SdesItemType.End) throw new ArgumentException("END is written by the encoder, not an item", nameof(chunks));
            if (Encoding.UTF8.GetByteCount(item.Text) > 255) throw new ArgumentException($"SDES {item.Type} longer than 255 bytes", nameof(chunks));
        }
        Chunks = chunks;
    }

    public RtcpSourceDescription(uint ssrc, string cname) : this([new SdesChunk(ssrc, [new SdesItem(SdesItemType.CName, cname)])])
    {
    }

    public IReadOnlyList<SdesChunk> Chunks { get; }

    public override RtcpPacketType PacketType => RtcpPacketType.SourceDescription;
    public override int Length => RtcpHeader.Length + Chunks.Sum(c => c.Length);
    protected override int Count => Chunks.Count;

    protected override void WriteBody(Span<byte> body)
    {
        body.Clear();
        int offset = 0;
        foreach (var chunk in Chunks)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body.Slice(offset), chunk.Ssrc);
            int position = offset + 4;
            foreach (var item in chunk.Items)
            {
                body[position] = (byte)item.Type;
                int written = Encoding.UTF8.GetBytes(item.Text, body.Slice(position + 2));
                body[position + 1] = (byte)written;
                position += 2 + written;
            }
            offset += chunk.Length; // the END octet and padding are the zeros already there
        }
    }

    internal static bool TryRead(in RtcpHeader header, ReadOnlySpan<byte> body, out RtcpSourceDescription? sdes)
    {
        sdes = null;
        var chunks = new List<SdesChunk>(header.Count);
        int offset = 0;
        for (int c = 0; c < header.Count; c++)
        {
            if (offset + 4 > body.Length) return false;
            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(offset));
            int position = offset + 4;
            var items = new List<SdesItem>();
            while (true)
            {
                if (position >= body.Length) return false;
                var type = (SdesItemType)body[position];
                if (type == SdesItemType.End) break;
                if (position + 2 > body.Length) return false;
                int length = body[position + 1];
                if (position + 2 + length > body.Length) return false;
                items.Add(new SdesItem(type, Encoding.UTF8.GetString(body.Slice(position + 2, length))));
                position += 2 + length;
            }
            chunks.Add(new SdesChunk(ssrc, items));
            offset = (position + 4) & ~3; // END octet, then pad to the next 32-bit boundary
        }
        sdes = new RtcpSourceDescription(chunks);
        return true;
    }
}
