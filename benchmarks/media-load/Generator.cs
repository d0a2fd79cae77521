using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hotline.MediaLoad;

/// <summary>
/// The synthetic phones: N G.711 streams at 50 packets/s each, evenly phased over the 20 ms period, sent
/// from one UDP socket to N engine ports, and whatever the engine sends back received on the same socket
/// (every engine leg latches onto it). Each payload carries a stamp (sending leg, sequence, send time), so
/// each packet that comes back is matched to the one sent: added delay = arrival - send time, loss = stamps
/// sent in the window that never came back. One thread sends, one receives, both many datagrams per
/// system call (<see cref="Mmsg"/>), so the generator takes as little as it can of the two cores it shares
/// with the engine. Nothing allocates per packet.
/// <para>
/// In room mode (<see cref="RoomTraffic"/>) the payloads are a room's tones and quiet lines instead of
/// stamps, and what comes back is counted per leg, told apart by the engine port it comes from.
/// </para>
/// <para>
/// The receiver polls its socket every half millisecond instead of blocking on it. A thread blocked on a
/// socket must be woken by whoever delivers to it, and on loopback that is the engine's send call: the
/// engine would pay for a wake-up of the generator per packet, which a media server sending to a network
/// card never does. Arrival times come from the kernel (SO_TIMESTAMPNS, set when the datagram reaches
/// the socket) and send times from the same clock, so the polling does not blur the delays.
/// </para>
/// </summary>
internal sealed unsafe class Generator : IDisposable
{
    private const int PayloadBytes = 160;
    private const int PacketBytes = 12 + PayloadBytes;
    private const int PacketStride = 176;
    private const int SendBatch = 256;
    private const int ReceiveBatch = 256;
    private const uint PollMicroseconds = 500;
    private const int ReceiveBufferBytes = 256;
    private static readonly long s_period = Stopwatch.Frequency / 50;

    private readonly Socket _socket;
    private readonly Stamp _stamp = new();
    private readonly bool _transcode;
    private readonly int _legs;
    private readonly byte* _packets;       // legs x PacketStride: each leg's packet, rewritten per send
    private readonly byte* _addresses;     // legs x 16: each leg's engine port as a sockaddr_in
    private readonly byte* _sendHeaders = Mmsg.Alloc(SendBatch * Mmsg.MessageHeaderSize);
    private readonly byte* _sendIovecs = Mmsg.Alloc(SendBatch * 16);
    private readonly byte* _receiveBuffers = Mmsg.Alloc(ReceiveBatch * ReceiveBufferBytes);
    private readonly byte* _receiveHeaders = Mmsg.Alloc(ReceiveBatch * Mmsg.MessageHeaderSize);
    private readonly byte* _receiveIovecs = Mmsg.Alloc(ReceiveBatch * 16);
    private readonly byte* _receiveControl = Mmsg.Alloc(ReceiveBatch * Mmsg.ControlBytes);
    private readonly byte* _receiveAddresses = Mmsg.Alloc(ReceiveBatch * Mmsg.AddressBytes);
    private readonly RoomTraffic? _rooms;
    private readonly int[] _legOfPort = new int[65536];
    private readonly bool[] _alaw;
    private readonly int[] _sequences;
    private readonly int[][] _delays;          // per sending leg and stamp sequence: delay in µs, or -1 (not back)
    private Thread? _sender;
    private Thread? _receiver;
    private volatile bool _stopSending;
    private volatile bool _stopReceiving;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private readonly int[] _firstInWindow;
    private readonly int[] _lastInWindow;

    public Generator(int legs, bool transcode, int maxSeconds, RoomTraffic? rooms = null)
    {
        _legs = legs;
        _transcode = transcode;
        _rooms = rooms;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 << 20,
            SendBufferSize = 4 << 20,
        };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.SetRawSocketOption(Mmsg.SolSocket, Mmsg.SoTimestampNs, BitConverter.GetBytes(1));
        _packets = Mmsg.Alloc(legs * PacketStride);
        _addresses = Mmsg.Alloc(legs * 16);
        _alaw = new bool[legs];
        _sequences = new int[legs];
        _delays = new int[legs][];
        _firstInWindow = new int[legs];
        _lastInWindow = new int[legs];
        Array.Fill(_firstInWindow, -1);
        Array.Fill(_lastInWindow, -1);
        int maxPackets = rooms is null ? 50 * maxSeconds + 500 : 0;
        for (int i = 0; i < legs; i++)
        {
            _delays[i] = new int[maxPackets];
            Array.Fill(_delays[i], -1);
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public long ReceivedPackets { get; private set; }
    public long Unreadable { get; private set; }

    /// <summary>Points each leg's stream at its engine port and builds its packet once.</summary>
    public void Connect(IReadOnlyList<int> enginePorts)
    {
        Array.Fill(_legOfPort, -1);
        for (int leg = 0; leg < _legs; leg++)
        {
            _legOfPort[enginePorts[leg]] = leg;
            // struct sockaddr_in: family (host order), port (network order), 127.0.0.1.
            byte* address = _addresses + leg * 16;
            *(ushort*)address = (ushort)AddressFamily.InterNetwork;
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(address + 2, 2), (ushort)enginePorts[leg]);
            address[4] = 127;
            address[7] = 1;
            bool alaw = !(_transcode && leg % 2 == 1);
            _alaw[leg] = alaw;
            var packet = Packet(leg);
            packet[0] = 0x80;
            packet[1] = (byte)(_rooms?.Codec.StaticPayloadType ?? (alaw ? 8 : 0));
            BinaryPrimitives.WriteUInt32BigEndian(packet[8..], 0x10000u + (uint)leg);
            packet[12..].Fill(alaw ? (byte)0xD5 : (byte)0xFF); // G.711 silence after the stamp
        }
        for (int i = 0; i < ReceiveBatch; i++)
            Mmsg.Set(_receiveHeaders, _receiveIovecs, i, _receiveBuffers + i * ReceiveBufferBytes, ReceiveBufferBytes,
                _receiveAddresses + i * Mmsg.AddressBytes, Mmsg.AddressBytes);
    }

    public void Start()
    {
        _receiver = new Thread(Receive) { IsBackground = true, Name = "load receiver" };
        _sender = new Thread(Send) { IsBackground = true, Name = "load sender" };
        _receiver.Start();
        _sender.Start();
    }

    /// <summary>Packets sent from now on are measured.</summary>
    public void OpenWindow()
    {
        _rooms?.OpenWindow(Clock.UnixNanoseconds());
        Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());
    }

    /// <summary>Packets sent from now on are not.</summary>
    public void CloseWindow()
    {
        Volatile.Write(ref _windowEnd, Stopwatch.GetTimestamp());
        _rooms?.CloseWindow(Clock.UnixNanoseconds());
    }

    public void StopSending()
    {
        _stopSending = true;
        _sender?.Join();
    }

    public void StopReceiving()
    {
        _stopReceiving = true;
        _receiver?.Join();
    }

    /// <summary>
    /// Sent, received, lost and late counts and delay percentiles over the window. Late is judged per
    /// stream, against its own quickest packet: streams differ in how their send time falls against the
    /// engine's 20 ms tick, which shifts a transcoded stream's delay as a whole without any packet being late.
    /// </summary>
    public GeneratorReport Report(double lateAfterMilliseconds)
    {
        long sent = 0, received = 0, late = 0;
        var histogram = new long[Histogram.Buckets];
        for (int leg = 0; leg < _legs; leg++)
        {
            if (_firstInWindow[leg] < 0)
                continue;
            var delays = _delays[leg].AsSpan(_firstInWindow[leg], _lastInWindow[leg] - _firstInWindow[leg] + 1);
            int quickest = int.MaxValue;
            foreach (int delay in delays)
                if (delay >= 0 && delay < quickest)
                    quickest = delay;
            foreach (int delay in delays)
            {
                sent++;
                if (delay < 0)
                    continue;
                received++;
                histogram[Histogram.Bucket(delay)]++;
                if (delay > quickest + lateAfterMilliseconds * 1000)
                    late++;
            }
        }
        var all = new Histogram(histogram);
        return new GeneratorReport(sent, received, sent - received, late, all.Percentile(0.5), all.Percentile(0.99),
            all.Percentile(0.999), all.Max);
    }

    public void Dispose()
    {
        _socket.Dispose();
        foreach (var memory in new[] { _packets, _addresses, _sendHeaders, _sendIovecs, _receiveBuffers, _receiveHeaders, _receiveIovecs, _receiveControl, _receiveAddresses })
            Mmsg.Free(memory);
    }

    private Span<byte> Packet(int leg) => new(_packets + leg * PacketStride, PacketBytes);

    private void Send()
    {
        // Leg i is due at start + k periods + i/N of a period: the load is spread evenly over time. The
        // thread wakes every millisecond or so and sends what has fallen due in batches (a sleeping sender
        // leaves the cores to the engine; a spinning one would compete with it).
        int fd = (int)_socket.SafeHandle.DangerousGetHandle();
        long start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        long cycle = 0;
        int next = 0;
        while (!_stopSending)
        {
            long now = Stopwatch.GetTimestamp();
            long due = start + cycle * s_period + next * s_period / _legs;
            int batch = 0;
            while (due <= now && !_stopSending)
            {
                Prepare(next, batch++);
                if (batch == SendBatch)
                {
                    Flush(fd, batch);
                    batch = 0;
                }
                if (++next == _legs)
                {
                    next = 0;
                    cycle++;
                }
                due = start + cycle * s_period + next * s_period / _legs;
            }
            Flush(fd, batch);
            Thread.Sleep(1);
        }
    }

    private void Prepare(int leg, int slot)
    {
        var packet = Packet(leg);
        int sequence = _sequences[leg]++;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], (uint)sequence * 160);
        if (_rooms is not null)
            _rooms.Payload(leg, sequence).CopyTo(packet[12..]);
        else
            WriteStamp(leg, sequence, packet);
        Mmsg.Set(_sendHeaders, _sendIovecs, slot, _packets + leg * PacketStride, PacketBytes, _addresses + leg * 16, 16);
    }

    private void WriteStamp(int leg, int sequence, Span<byte> packet)
    {
        long now = Stopwatch.GetTimestamp();
        _stamp.Write(packet[12..], _alaw[leg], leg, sequence, Clock.UnixNanoseconds());
        if (now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd))
        {
            if (_firstInWindow[leg] < 0)
                _firstInWindow[leg] = sequence;
            _lastInWindow[leg] = sequence;
        }
    }

    private void Flush(int fd, int count)
    {
        int done = 0;
        while (done < count)
        {
            int sent = Mmsg.sendmmsg(fd, _sendHeaders + done * Mmsg.MessageHeaderSize, (uint)(count - done), 0);
            // A refused datagram is skipped (it counts as lost: it never comes back).
            done += sent > 0 ? sent : 1;
        }
    }

    private void Receive()
    {
        int fd = (int)_socket.SafeHandle.DangerousGetHandle();
        while (!_stopReceiving)
        {
            for (int i = 0; i < ReceiveBatch; i++)
                Mmsg.Rearm(_receiveHeaders, i, _receiveControl + i * Mmsg.ControlBytes);
            int count = Mmsg.recvmmsg(fd, _receiveHeaders, ReceiveBatch, Mmsg.MsgDontWait, null);
            for (int i = 0; i < count; i++)
            {
                var packet = new ReadOnlySpan<byte>(_receiveBuffers + i * ReceiveBufferBytes, Mmsg.Length(_receiveHeaders, i));
                long arrival = Mmsg.ArrivalNanoseconds(_receiveHeaders, i);
                arrival = arrival != 0 ? arrival : Clock.UnixNanoseconds();
                if (_rooms is null)
                    Take(packet, arrival);
                else
                    TakeInRoom(packet, Mmsg.SourcePort(_receiveHeaders, i), arrival);
            }
            if (count < ReceiveBatch)
                Mmsg.usleep(PollMicroseconds);
        }
    }

    private void Take(ReadOnlySpan<byte> packet, long arrival)
    {
        ReceivedPackets++;
        if (packet.Length < 12 + Stamp.Nibbles || (packet[1] & 0x7F) is not (0 or 8))
            return; // RTCP, events
        bool receivedAlaw = (packet[1] & 0x7F) == 8;
        bool sentAlaw = _transcode ? !receivedAlaw : receivedAlaw;
        int offset = 12 + 4 * (packet[0] & 0x0F);
        if (!_stamp.TryRead(packet[offset..], sentAlaw, receivedAlaw, out int leg, out int sequence, out long sent)
            || (uint)leg >= (uint)_legs || (uint)sequence >= (uint)_delays[leg].Length)
        {
            Unreadable++; // concealment the engine made up for a packet it never got in time
            return;
        }
        _delays[leg][sequence] = (int)Math.Clamp((arrival - sent) / 1000, 0, int.MaxValue);
    }

    /// <summary>Room mode: a mix for the leg whose engine port sent it (RTCP, events and strangers are skipped).</summary>
    private void TakeInRoom(ReadOnlySpan<byte> packet, int sourcePort, long arrival)
    {
        ReceivedPackets++;
        int leg = _legOfPort[sourcePort];
        if (packet.Length < 12 || (packet[1] & 0x7F) != _rooms!.Codec.StaticPayloadType || leg < 0)
            return;
        int offset = 12 + 4 * (packet[0] & 0x0F);
        if (offset < packet.Length)
            _rooms.Take(leg, BinaryPrimitives.ReadUInt16BigEndian(packet[2..]), packet[offset..], arrival);
    }
}

/// <summary>What came back, over the measured window. Delays in microseconds.</summary>
internal sealed record GeneratorReport(long Sent, long Received, long Lost, long Late, double P50, double P99, double P999, double Max);

/// <summary>
/// Send times on the clock the kernel stamps arrivals with (CLOCK_REALTIME, which DateTime.UtcNow reads
/// on Linux), so delay = kernel arrival - send. A measuring tool's clock, not the engine's.
/// </summary>
internal static class Clock
{
    public static long UnixNanoseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
