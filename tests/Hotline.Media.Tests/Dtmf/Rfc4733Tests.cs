using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Dtmf;

public class Rfc4733Tests
{
    private const int TelephoneEvent = 101;
    private const string SippDir = "/usr/share/sip-tester";

    private static string PcapName(char digit) => digit switch
    {
        '#' => "pound",
        '*' => "star",
        _ => digit.ToString(),
    };

    /// <summary>Feeds SIPp's DTMF pcaps one after another as one stream, as run-call-pcap.sh plays them.</summary>
    private static (string Started, string Ended) DecodeSippPcaps(string digits)
    {
        var receiver = new Rfc4733Receiver(TelephoneEvent);
        var events = new DtmfDigitEvent[Rfc4733Receiver.MaxEventsPerPacket];
        string started = "", ended = "";
        var clock = TimeSpan.Zero;
        foreach (char digit in digits)
        {
            string path = Path.Combine(SippDir, $"dtmf_2833_{PcapName(digit)}.pcap");
            ExternalTools.RequireFile(path, "the sip-tester package");
            foreach (var datagram in PcapReader.ReadUdp(path))
            {
                Assert.True(RtpHeader.TryRead(datagram.Payload, out var header));
                int n = receiver.Process(header, header.GetPayload(datagram.Payload), clock + datagram.Time, events);
                foreach (var e in events.AsSpan(0, n))
                {
                    if (e.Kind == DtmfDigitEventKind.Started) started += e.Digit;
                    else ended += e.Digit;
                }
            }
            clock += TimeSpan.FromMilliseconds(400); // the scenario's pause between pcaps
        }
        return (started, ended);
    }

    [Fact]
    public void Sipp_pcaps_1_2_3_pound_decode_to_exactly_those_digits()
    {
        var (started, ended) = DecodeSippPcaps("123#");
        Assert.Equal("123#", started);
        Assert.Equal("123#", ended);
    }

    [Fact]
    public void All_twelve_sipp_pcaps_in_one_stream_despite_sequence_and_timestamp_jumps()
    {
        // 0's capture has a far higher sequence number and a lower timestamp than 9's; * is lower again.
        var (started, ended) = DecodeSippPcaps("123456789*0#");
        Assert.Equal("123456789*0#", started);
        Assert.Equal("123456789*0#", ended);
    }

    [Fact]
    public void Event_payload_round_trips()
    {
        var evt = new Rfc4733Event(11, true, 10, 2240);
        var buffer = new byte[4];
        evt.WriteTo(buffer);
        Assert.Equal([11, 0x8A, 0x08, 0xC0], buffer);
        Assert.True(Rfc4733Event.TryRead(buffer, out var read));
        Assert.Equal(evt, read);
        Assert.Equal('#', read.Digit);
        Assert.False(Rfc4733Event.TryRead(buffer.AsSpan(0, 3), out _));
    }

    private sealed class Stream(uint ssrc = 0x1234)
    {
        public readonly Rfc4733Receiver Receiver = new(TelephoneEvent);
        public readonly List<DtmfDigitEvent> Events = [];
        public ushort Sequence = 1000;
        public TimeSpan Now;

        public void Send(uint timestamp, Rfc4733Event evt, bool marker = false, ushort? sequence = null)
        {
            var header = new RtpHeader(TelephoneEvent, sequence ?? Sequence++, timestamp, ssrc, marker);
            var payload = new byte[4];
            evt.WriteTo(payload);
            var events = new DtmfDigitEvent[Rfc4733Receiver.MaxEventsPerPacket];
            int n = Receiver.Process(header, payload, Now += TimeSpan.FromMilliseconds(20), events);
            Events.AddRange(events.Take(n));
        }

        public string Started => string.Concat(Events.Where(e => e.Kind == DtmfDigitEventKind.Started).Select(e => e.Digit));
        public string Ended => string.Concat(Events.Where(e => e.Kind == DtmfDigitEventKind.Ended).Select(e => e.Digit));
    }

    [Fact]
    public void Sender_to_receiver_round_trip_for_every_key()
    {
        var sender = new Rfc4733Sender(8000, TimeSpan.FromMilliseconds(20));
        var stream = new Stream();
        uint timestamp = 50_000;
        foreach (char key in "0123456789*#ABCD")
        {
            sender.Start(key, timestamp, TimeSpan.FromMilliseconds(100));
            var packets = new List<(Rfc4733Event Event, bool Marker)>();
            while (sender.TryGetNext(out var evt, out bool marker)) packets.Add((evt, marker));

            // §2.5: marker on the first only, durations growing by one interval, three identical ends.
            Assert.Equal(4 + 3, packets.Count);
            Assert.True(packets[0].Marker);
            Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
            Assert.Equal([160, 320, 480, 640, 800, 800, 800], packets.Select(p => (int)p.Event.Duration));
            Assert.Equal([false, false, false, false, true, true, true], packets.Select(p => p.Event.End));
            Assert.All(packets, p => Assert.Equal(key, p.Event.Digit));

            foreach (var (evt, marker) in packets) stream.Send(sender.Timestamp, evt, marker);
            timestamp += 2000;
        }
        Assert.Equal("0123456789*#ABCD", stream.Started);
        Assert.Equal("0123456789*#ABCD", stream.Ended);
        Assert.All(stream.Events.Where(e => e.Kind == DtmfDigitEventKind.Ended), e => Assert.Equal(800, e.Duration));
    }

    [Fact]
    public void Repeated_start_and_end_packets_give_one_digit()
    {
        var stream = new Stream();
        for (int i = 0; i < 3; i++) stream.Send(8000, new Rfc4733Event(5, false, 10, 0), marker: true);
        stream.Send(8000, new Rfc4733Event(5, false, 10, 160));
        for (int i = 0; i < 3; i++) stream.Send(8000, new Rfc4733Event(5, true, 10, 320));
        // Late copy of the end packet after the press is over, with an old sequence number.
        stream.Send(8000, new Rfc4733Event(5, true, 10, 320), sequence: 900);
        Assert.Equal("5", stream.Started);
        Assert.Equal("5", stream.Ended);
        Assert.Equal(5, stream.Receiver.DuplicatePackets);
    }

    [Fact]
    public void Same_key_twice_is_two_presses_because_the_timestamps_differ()
    {
        var stream = new Stream();
        stream.Send(1000, new Rfc4733Event(1, false, 10, 160), marker: true);
        stream.Send(1000, new Rfc4733Event(1, true, 10, 320));
        stream.Send(2000, new Rfc4733Event(1, false, 10, 160), marker: true);
        stream.Send(2000, new Rfc4733Event(1, true, 10, 320));
        Assert.Equal("11", stream.Started);
        Assert.Equal("11", stream.Ended);
    }

    [Fact]
    public void A_new_event_without_an_end_ends_the_previous_press()
    {
        var stream = new Stream();
        stream.Send(1000, new Rfc4733Event(7, false, 10, 160), marker: true);
        stream.Send(1000, new Rfc4733Event(7, false, 10, 320));
        // The end packets of 7 were all lost.
        stream.Send(3000, new Rfc4733Event(8, false, 10, 160), marker: true);
        stream.Send(3000, new Rfc4733Event(8, true, 10, 480));
        Assert.Equal("78", stream.Started);
        Assert.Equal("78", stream.Ended);
        Assert.Equal(320, stream.Events.First(e => e.Kind == DtmfDigitEventKind.Ended).Duration);
    }

    [Fact]
    public void Only_end_packets_arriving_still_give_the_digit_once()
    {
        var stream = new Stream();
        for (int i = 0; i < 3; i++) stream.Send(4000, new Rfc4733Event(10, true, 10, 800));
        Assert.Equal("*", stream.Started);
        Assert.Equal("*", stream.Ended);
    }

    [Fact]
    public void A_press_whose_end_never_comes_ends_after_the_timeout()
    {
        var stream = new Stream();
        stream.Send(1000, new Rfc4733Event(3, false, 10, 160), marker: true);
        var events = new DtmfDigitEvent[1];
        Assert.Equal(0, stream.Receiver.Poll(stream.Now + TimeSpan.FromMilliseconds(500), events));
        Assert.Equal(1, stream.Receiver.Poll(stream.Now + TimeSpan.FromSeconds(1), events));
        Assert.Equal(new DtmfDigitEvent('3', DtmfDigitEventKind.Ended, 1000, 160), events[0]);
        Assert.Equal(0, stream.Receiver.Poll(stream.Now + TimeSpan.FromSeconds(2), events));
    }

    [Fact]
    public void A_long_event_continues_across_duration_wrap_segments()
    {
        // RFC 4733 §2.5.1.3: after 0xFFFF units the sender starts a new segment 0xFFFF later.
        var stream = new Stream();
        uint ts = uint.MaxValue - 1000; // and the timestamp itself wraps during the press
        stream.Send(ts, new Rfc4733Event(9, false, 10, 160), marker: true);
        stream.Send(ts, new Rfc4733Event(9, false, 10, 0xFFFF));
        uint next = ts + 0xFFFF;
        stream.Send(next, new Rfc4733Event(9, false, 10, 160));
        stream.Send(next, new Rfc4733Event(9, true, 10, 4000));
        stream.Send(next, new Rfc4733Event(9, true, 10, 4000));
        Assert.Equal("9", stream.Started);
        var end = Assert.Single(stream.Events, e => e.Kind == DtmfDigitEventKind.Ended);
        Assert.Equal(0xFFFF + 4000, end.Duration);
        Assert.Equal(ts, end.RtpTimestamp);
    }

    [Fact]
    public void A_new_ssrc_ends_the_old_press_and_starts_afresh()
    {
        var receiver = new Rfc4733Receiver(TelephoneEvent);
        var events = new DtmfDigitEvent[3];
        var payload = new byte[4];
        new Rfc4733Event(2, false, 10, 160).WriteTo(payload);
        Assert.Equal(1, receiver.Process(new RtpHeader(TelephoneEvent, 1, 500, 1), payload, TimeSpan.Zero, events));
        new Rfc4733Event(4, false, 10, 160).WriteTo(payload);
        Assert.Equal(2, receiver.Process(new RtpHeader(TelephoneEvent, 9000, 500, 2), payload, TimeSpan.Zero, events));
        Assert.Equal(('2', DtmfDigitEventKind.Ended), (events[0].Digit, events[0].Kind));
        Assert.Equal(('4', DtmfDigitEventKind.Started), (events[1].Digit, events[1].Kind));
    }

    [Fact]
    public void Other_payload_types_short_payloads_and_non_dtmf_events_produce_nothing()
    {
        var receiver = new Rfc4733Receiver(TelephoneEvent);
        var events = new DtmfDigitEvent[3];
        Assert.Equal(0, receiver.Process(new RtpHeader(8, 1, 1, 1), [1, 2, 3, 4], TimeSpan.Zero, events));
        Assert.Equal(0, receiver.Process(new RtpHeader(TelephoneEvent, 2, 1, 1), [1, 2], TimeSpan.Zero, events));
        Assert.Equal(0, receiver.Process(new RtpHeader(TelephoneEvent, 3, 1, 1), [16, 0x8A, 0, 160], TimeSpan.Zero, events));
        Assert.Equal(1, receiver.MalformedPackets);
        Assert.Equal(1, receiver.IgnoredPackets);
    }

    [Fact]
    public void Receiving_allocates_nothing()
    {
        var receiver = new Rfc4733Receiver(TelephoneEvent);
        var events = new DtmfDigitEvent[Rfc4733Receiver.MaxEventsPerPacket];
        var payload = new byte[4];
        receiver.Process(new RtpHeader(TelephoneEvent, 0, 0, 1), payload, TimeSpan.Zero, events);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int produced = 0;
        for (int i = 1; i < 1000; i++)
        {
            new Rfc4733Event((byte)(i % 16), i % 10 >= 7, 10, (ushort)(160 * (i % 10))).WriteTo(payload);
            produced += receiver.Process(new RtpHeader(TelephoneEvent, (ushort)i, (uint)(i / 10 * 4000), 1), payload, TimeSpan.FromMilliseconds(20 * i), events);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2 * 99, produced);
    }
}
