using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Switch.Tests.Calls;

/// <summary>
/// A G.711 A-law phone on a real UDP socket (127.0.0.1): offers SDP, sends a tone in 20 ms packets on its
/// own thread, and keeps what it receives, so a test can ask which tones it hears.
/// </summary>
internal sealed class TonePhone : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
    private readonly ConcurrentQueue<(long Arrival, ushort Sequence, byte[] Payload)> _received = new();
    private readonly Thread _receiver;
    private Thread? _sender;
    private IPEndPoint? _remote;
    private volatile bool _closed;

    public TonePhone(double tone, uint ssrc)
    {
        Tone = tone;
        Ssrc = ssrc;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiver = new Thread(Receive) { IsBackground = true, Name = "tone phone receiver" };
        _receiver.Start();
    }

    public double Tone { get; }
    public uint Ssrc { get; }
    private int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Our offer: PCMA and telephone-event, as a desk phone sends it.</summary>
    public string Offer() =>
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {Port} RTP/AVP 8 101\r\n" +
        "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";

    /// <summary>Takes the switch's address from its answer and starts sending the tone.</summary>
    public void Start(string answer)
    {
        var sdp = SessionDescription.Parse(answer);
        _remote = new IPEndPoint(sdp.Connection!.IPAddress!, sdp.Media[0].Port);
        _sender = new Thread(Send) { IsBackground = true, Name = "tone phone sender" };
        _sender.Start();
    }

    /// <summary>
    /// The tones among <paramref name="candidates"/> in the last 400 ms of what arrived since <paramref name="since"/>
    /// (a Stopwatch reading): present at amplitude 2,000 or more (sent at 8,000), absent under 100.
    /// </summary>
    public IReadOnlyList<double> Hears(long since, params double[] candidates)
    {
        var decoder = new PcmaDecoder();
        var pcm = new List<short>();
        var frame = new short[160];
        foreach (var (_, _, payload) in _received.Where(p => p.Arrival >= since).OrderBy(p => p.Sequence))
        {
            int n = decoder.Decode(payload, frame);
            pcm.AddRange(frame.AsSpan(0, n).ToArray());
        }
        Assert.True(pcm.Count >= 3200, $"the phone got {pcm.Count} samples");
        var window = pcm.Skip(pcm.Count - 3200).ToArray();
        var present = new List<double>();
        foreach (var f in candidates)
        {
            double level = Amplitude(window, f);
            if (level >= 2000)
                present.Add(f);
            else if (level >= 100)
                Assert.Fail($"{f} Hz at {level:F0}: neither clearly present nor absent");
        }
        return present;
    }

    /// <summary>Audio packets that arrived since <paramref name="since"/> (a Stopwatch reading).</summary>
    public int PacketsSince(long since) => _received.Count(p => p.Arrival >= since);

    public void Dispose()
    {
        _closed = true;
        _sender?.Join();
        _socket.Dispose();
        _receiver.Join();
    }

    private void Send()
    {
        var encoder = new PcmaEncoder();
        var pcm = new short[160];
        var packet = new byte[RtpHeader.FixedLength + 160];
        long start = Stopwatch.GetTimestamp();
        for (long n = 0; !_closed; n++)
        {
            while (Stopwatch.GetTimestamp() < start + n * Stopwatch.Frequency / 50)
                Thread.Sleep(1);
            for (int i = 0; i < pcm.Length; i++)
                pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * Tone * (n * 160 + i) / 8000));
            new RtpHeader(8, (ushort)n, (uint)(n * 160), Ssrc, n == 0).WriteTo(packet);
            encoder.Encode(pcm, packet.AsSpan(RtpHeader.FixedLength));
            try
            {
                _socket.SendTo(packet, _remote!);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
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
                int n = _socket.ReceiveFrom(buffer, ref from);
                if (RtpHeader.TryRead(buffer.AsSpan(0, n), out var header) && header.PayloadType == 8)
                    _received.Enqueue((Stopwatch.GetTimestamp(), header.SequenceNumber, header.GetPayload(buffer.AsSpan(0, n)).ToArray()));
            }
            catch (SocketException)
            {
                // receive timeout: look at _closed again
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static double Amplitude(short[] samples, double frequency)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / 8000), s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return 2 * Math.Sqrt(Math.Max(s1 * s1 + s2 * s2 - coeff * s1 * s2, 0)) / samples.Length;
    }
}

/// <summary>
/// A switch channel as a room sees it: a call id, the party at its end and its media leg
/// (<see cref="IChannelMedia"/>); hanging up ends it and closes the leg, as call control does.
/// The flow operations are not part of what rooms use and refuse to run.
/// </summary>
internal sealed class RoomChannel(string callId, string party, IMediaLeg media) : ICallChannel, IChannelMedia
{
    private readonly CancellationTokenSource _ended = new();

    public int Hangups;

    public string CallId { get; } = callId;
    public string Party { get; } = party;
    public IMediaLeg Media { get; } = media;
    public string Caller => Party;
    public string? CallerName => null;
    public string Dialled => "8100";
    public string? Trunk => null;
    public string? CallerExtension => Party;
    public DateTimeOffset Started => DateTimeOffset.UnixEpoch;
    public bool Answered => true;
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>();
    public CancellationToken Ended => _ended.Token;

    /// <summary>The far end hung up: the channel ends (its leg closes a moment later, if at all).</summary>
    public void End() => _ended.Cancel();

    public async Task HangupAsync(int status = 0, string? reason = null)
    {
        Interlocked.Increment(ref Hangups);
        _ended.Cancel();
        await Media.DisposeAsync();
    }

    public Task AnswerAsync(CancellationToken ct = default) => Task.CompletedTask;
    public Task EarlyMediaAsync(CancellationToken ct = default) => Task.CompletedTask;
    public Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default) => throw NotForRooms();
    public Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default) => throw NotForRooms();
    public void StartMusicOnHold() => Media.Play(CallSound.MusicOnHold);
    public void StopAudio() => Media.StopPlayback();
    public Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default) => throw NotForRooms();
    public Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default) => throw NotForRooms();
    public Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default) => throw NotForRooms();

    private static InvalidOperationException NotForRooms() => new("the room tests' channel only joins, hangs up and ends");
}
