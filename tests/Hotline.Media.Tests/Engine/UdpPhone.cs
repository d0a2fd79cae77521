using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A phone on a real UDP socket (127.0.0.1): writes SDP like a softphone, sends a tone in 20 ms RTP
/// packets on its own thread, sends RFC 4733 digits, and keeps whatever it receives.
/// </summary>
internal sealed class UdpPhone : IDisposable
{
    private readonly Socket _media;
    private readonly Socket? _signalled;
    private readonly IAudioEncoder _encoder;
    private readonly Thread _receiver;
    private readonly ConcurrentQueue<char> _digits = new();
    private readonly Lock _gate = new();
    private Thread? _sender;
    private volatile bool _stop;
    private volatile bool _closed;
    private double _frequency;
    private ushort _sequence = 4000;
    private uint _timestamp = 80_000;

    /// <param name="sendFromAnotherPort">Signal one port in SDP but send (and receive) on another, as behind a NAT.</param>
    public UdpPhone(AudioCodecInfo codec, int? eventPayloadType = 101, bool sendFromAnotherPort = false, uint ssrc = 0x5eed)
    {
        Codec = codec;
        EventPayloadType = eventPayloadType;
        Ssrc = ssrc;
        _encoder = AudioCodecFactory.CreateEncoder(codec);
        _media = Bind();
        if (sendFromAnotherPort)
            _signalled = Bind();
        _receiver = new Thread(Receive) { IsBackground = true, Name = "test phone receiver" };
        _receiver.Start();
    }

    public AudioCodecInfo Codec { get; }
    public int? EventPayloadType { get; }
    public uint Ssrc { get; }

    /// <summary>Payload type of the codec on this call (from the SDP exchange).</summary>
    public int PayloadType { get; private set; }

    /// <summary>The port in our SDP.</summary>
    public int SignalledPort => ((IPEndPoint)(_signalled ?? _media).LocalEndPoint!).Port;

    /// <summary>The port we really send from and receive on.</summary>
    public int MediaPort => ((IPEndPoint)_media.LocalEndPoint!).Port;

    public IPEndPoint? Remote { get; private set; }

    public ConcurrentQueue<(byte[] Packet, IPEndPoint From, long Arrival)> Received { get; } = new();

    /// <summary>Our offer, softphone style: our codec and telephone-event.</summary>
    public string Offer(string direction = "sendrecv", int payloadType = -1)
    {
        PayloadType = payloadType >= 0 ? payloadType : Codec.StaticPayloadType >= 0 ? Codec.StaticPayloadType : 96;
        return Sdp(PayloadType, EventPayloadType, direction);
    }

    /// <summary>Our answer to the engine's offer: our codec with the payload numbers the offer gave it.</summary>
    public string Answer(string offer)
    {
        var media = SessionDescription.Parse(offer).Media[0];
        PayloadType = media.PayloadTypes.First(pt => media.GetRtpMap(pt) is { } map
            && map.EncodingName.Equals(Codec.Name, StringComparison.OrdinalIgnoreCase) && map.ClockRate == Codec.ClockRate);
        int? te = EventPayloadType is null ? null : media.PayloadTypes.FirstOrDefault(pt => media.GetRtpMap(pt) is { } map
            && map.EncodingName == "telephone-event" && map.ClockRate == Codec.ClockRate);
        ConnectTo(offer);
        return Sdp(PayloadType, te, "sendrecv");
    }

    /// <summary>Takes the engine's address from its SDP (offer or answer).</summary>
    public void ConnectTo(string sdp)
    {
        var parsed = SessionDescription.Parse(sdp);
        Remote = new IPEndPoint(parsed.Connection!.IPAddress!, parsed.Media[0].Port);
    }

    /// <summary>Starts sending a tone, one packet every 20 ms, until <see cref="StopSending"/>.</summary>
    public void PlayTone(double frequency)
    {
        _frequency = frequency;
        _stop = false;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "test phone sender" };
        _sender.Start();
    }

    public void StopSending()
    {
        _stop = true;
        _sender?.Join();
    }

    /// <summary>Sends one key press as RFC 4733 events (on the sending thread's clock: call while a tone plays).</summary>
    public void PressKey(char digit) => _digits.Enqueue(digit);

    /// <summary>What arrived with our codec's payload type (after <paramref name="since"/>, a Stopwatch reading), in sequence order, decoded.</summary>
    public short[] ReceivedAudio(long since = 0)
    {
        var payloads = Packets()
            .Where(p => p.Header.PayloadType == PayloadType && p.Arrival >= since)
            .OrderBy(p => p.Index)
            .Select(p => p.Payload);
        return Audio.Decode(Codec, payloads);
    }

    /// <summary>Every RTP packet received, parsed, with its arrival order.</summary>
    public List<(RtpHeader Header, byte[] Payload, IPEndPoint From, long Arrival, long Index)> Packets()
    {
        var list = new List<(RtpHeader, byte[], IPEndPoint, long, long)>();
        long? reference = null;
        foreach (var (packet, from, arrival) in Received)
        {
            if (!RtpHeader.TryRead(packet, out var header) || packet[1] is >= 192 and <= 223)
                continue;
            // Order by extended sequence number (the engine's stream runs on across its sources).
            long extended = RtpSerial.Extend(header.SequenceNumber, reference ?? header.SequenceNumber);
            reference = extended;
            list.Add((header, header.GetPayload(packet).ToArray(), from, arrival, extended));
        }
        return list;
    }

    public void Dispose()
    {
        StopSending();
        _closed = true;
        _media.Dispose();
        _signalled?.Dispose();
        _receiver.Join();
    }

    private string Sdp(int payloadType, int? eventPayloadType, string direction)
    {
        string channels = Codec.Channels == 2 ? "/2" : "";
        string formats = eventPayloadType is int te ? $"{payloadType} {te}" : payloadType.ToString(CultureInfo.InvariantCulture);
        var sdp = $"v=0\r\no=- 1 {Environment.TickCount64} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            $"m=audio {SignalledPort} RTP/AVP {formats}\r\n" +
            $"a=rtpmap:{payloadType} {Codec.Name}/{Codec.ClockRate}{channels}\r\n";
        if (eventPayloadType is int e)
            sdp += $"a=rtpmap:{e} telephone-event/{Codec.ClockRate}\r\na=fmtp:{e} 0-15\r\n";
        return sdp + "a=ptime:20\r\n" + $"a={direction}\r\n";
    }

    private void SendLoop()
    {
        int frame = Codec.SamplesPerFrame(20);
        int step = Codec.TimestampsPerFrame(20);
        var pcm = new short[frame];
        var payload = new byte[1500];
        var packet = new byte[1500];
        long start = Stopwatch.GetTimestamp();
        long sent = 0;
        long phase = 0;
        var keyTone = new DtmfToneGenerator(Codec.SampleRate);
        int keyFrames = 0;
        while (!_stop)
        {
            long due = start + sent * Stopwatch.Frequency / 50;
            while (Stopwatch.GetTimestamp() < due)
                Thread.Sleep(1);
            if (_digits.TryDequeue(out char digit))
            {
                if (EventPayloadType is int te && Remote is not null)
                {
                    SendEvent(digit, te, step, packet);
                    sent += 8;
                    start = Stopwatch.GetTimestamp() - sent * Stopwatch.Frequency / 50;
                    continue;
                }
                if (EventPayloadType is null)
                {
                    // No telephone-event: the key's dual tone for 100 ms, in the audio.
                    keyTone.Start(digit, -10);
                    keyFrames = 5;
                }
            }
            if (keyFrames > 0)
            {
                keyTone.Write(pcm);
                if (--keyFrames == 0)
                    keyTone.Stop();
            }
            else
            {
                for (int i = 0; i < frame; i++)
                    pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * _frequency * (phase + i) / Codec.SampleRate));
            }
            phase += frame;
            int n = _encoder.Encode(pcm, payload);
            Send(packet, (byte)PayloadType, _timestamp, sent == 0, payload.AsSpan(0, n));
            _timestamp += (uint)step;
            sent++;
        }
    }

    // A 100 ms press: five updates and the end three times, 20 ms apart (RFC 4733 §2.5.1).
    private void SendEvent(char digit, int payloadType, int step, byte[] packet)
    {
        uint eventTimestamp = _timestamp;
        var body = new byte[4];
        for (int i = 1; i <= 8; i++)
        {
            bool end = i > 5;
            new Rfc4733Event((byte)DtmfDigits.ToEventCode(digit), end, 10, (ushort)(step * Math.Min(i, 5))).WriteTo(body);
            Send(packet, (byte)payloadType, eventTimestamp, i == 1, body);
            Thread.Sleep(20);
        }
        _timestamp += (uint)(step * 8);
    }

    private void Send(byte[] packet, byte payloadType, uint timestamp, bool marker, ReadOnlySpan<byte> payload)
    {
        new RtpHeader(payloadType, _sequence++, timestamp, Ssrc, marker).WriteTo(packet);
        payload.CopyTo(packet.AsSpan(RtpHeader.FixedLength));
        lock (_gate)
        {
            if (Remote is not null && !_closed)
                _media.SendTo(packet.AsSpan(0, RtpHeader.FixedLength + payload.Length), SocketFlags.None, Remote);
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_closed)
        {
            try
            {
                int n = _media.ReceiveFrom(buffer, ref from);
                Received.Enqueue((buffer[..n], (IPEndPoint)from, Stopwatch.GetTimestamp()));
            }
            catch (SocketException)
            {
                // timeout, or closed
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
