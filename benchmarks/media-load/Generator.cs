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
/// sent in the window that never came back. One thread sends, one receives; nothing allocates per packet.
/// </summary>
internal sealed class Generator : IDisposable
{
    private const int PayloadBytes = 160;
    private static readonly long s_period = Stopwatch.Frequency / 50;

    private readonly Socket _socket;
    private readonly Stamp _stamp = new();
    private readonly bool _transcode;
    private readonly int _legs;
    private readonly SocketAddress[] _destinations;
    private readonly byte[][] _packets;
    private readonly int[] _sequences;
    private readonly ulong[][] _received;      // per sending leg, a bitmap of stamp sequences seen
    private readonly long[] _histogram = new long[Histogram.Buckets];
    private Thread? _sender;
    private Thread? _receiver;
    private volatile bool _stopSending;
    private volatile bool _stopReceiving;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private readonly int[] _firstInWindow;
    private readonly int[] _lastInWindow;

    public Generator(int legs, bool transcode, int maxSeconds)
    {
        _legs = legs;
        _transcode = transcode;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 << 20,
            SendBufferSize = 4 << 20,
            ReceiveTimeout = 200,
        };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _destinations = new SocketAddress[legs];
        _packets = new byte[legs][];
        _sequences = new int[legs];
        _received = new ulong[legs][];
        _firstInWindow = new int[legs];
        _lastInWindow = new int[legs];
        Array.Fill(_firstInWindow, -1);
        Array.Fill(_lastInWindow, -1);
        int maxPackets = 50 * maxSeconds + 500;
        for (int i = 0; i < legs; i++)
            _received[i] = new ulong[(maxPackets + 63) / 64];
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public long ReceivedPackets { get; private set; }
    public long Unreadable { get; private set; }

    /// <summary>Points each leg's stream at its engine port and builds its packet once.</summary>
    public void Connect(IReadOnlyList<int> enginePorts)
    {
        for (int leg = 0; leg < _legs; leg++)
        {
            _destinations[leg] = new IPEndPoint(IPAddress.Loopback, enginePorts[leg]).Serialize();
            bool alaw = !(_transcode && leg % 2 == 1);
            var packet = new byte[12 + PayloadBytes];
            packet[0] = 0x80;
            packet[1] = (byte)(alaw ? 8 : 0);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x10000u + (uint)leg);
            packet.AsSpan(12).Fill(alaw ? (byte)0xD5 : (byte)0xFF); // G.711 silence after the stamp
            _packets[leg] = packet;
        }
    }

    public void Start()
    {
        _receiver = new Thread(Receive) { IsBackground = true, Name = "load receiver", Priority = ThreadPriority.AboveNormal };
        _sender = new Thread(Send) { IsBackground = true, Name = "load sender", Priority = ThreadPriority.AboveNormal };
        _receiver.Start();
        _sender.Start();
    }

    /// <summary>Packets sent from now on are measured.</summary>
    public void OpenWindow() => Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());

    /// <summary>Packets sent from now on are not.</summary>
    public void CloseWindow() => Volatile.Write(ref _windowEnd, Stopwatch.GetTimestamp());

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

    /// <summary>Sent, received, lost and late counts and delay percentiles over the window.</summary>
    public GeneratorReport Report(double lateAfterMilliseconds)
    {
        long sent = 0, received = 0;
        for (int leg = 0; leg < _legs; leg++)
        {
            if (_firstInWindow[leg] < 0)
                continue;
            for (int s = _firstInWindow[leg]; s <= _lastInWindow[leg]; s++)
            {
                sent++;
                if ((_received[leg][s >> 6] & (1UL << (s & 63))) != 0)
                    received++;
            }
        }
        var delays = new Histogram(_histogram);
        double baseline = delays.Percentile(0.01);
        long late = delays.CountAbove(baseline + lateAfterMilliseconds * 1000);
        return new GeneratorReport(sent, received, sent - received, late, delays.Percentile(0.5), delays.Percentile(0.99),
            delays.Percentile(0.999), delays.Max, baseline);
    }

    public void Dispose() => _socket.Dispose();

    private void Send()
    {
        // Leg i is due at start + k periods + i/N of a period: the load is spread evenly over time. The
        // thread wakes every millisecond or so and sends what has fallen due (a sleeping sender leaves the
        // cores to the engine; a spinning one would compete with it).
        long start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        long cycle = 0;
        int next = 0;
        while (!_stopSending)
        {
            long now = Stopwatch.GetTimestamp();
            long due = start + cycle * s_period + next * s_period / _legs;
            while (due <= now && !_stopSending)
            {
                SendOne(next);
                if (++next == _legs)
                {
                    next = 0;
                    cycle++;
                }
                due = start + cycle * s_period + next * s_period / _legs;
            }
            Thread.Sleep(1);
        }
    }

    private void SendOne(int leg)
    {
        var packet = _packets[leg];
        int sequence = _sequences[leg]++;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)sequence * 160);
        long now = Stopwatch.GetTimestamp();
        _stamp.Write(packet.AsSpan(12), alaw: packet[1] == 8, leg, sequence, now);
        if (now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd))
        {
            if (_firstInWindow[leg] < 0)
                _firstInWindow[leg] = sequence;
            _lastInWindow[leg] = sequence;
        }
        try
        {
            _socket.SendTo(packet, SocketFlags.None, _destinations[leg]);
        }
        catch (SocketException)
        {
            // Counted as lost: it never comes back.
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_stopReceiving)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // the receive timeout: check whether to stop
            }
            long arrival = Stopwatch.GetTimestamp();
            ReceivedPackets++;
            if (length < 12 + Stamp.Nibbles || (buffer[1] & 0x7F) is not (0 or 8))
                continue; // RTCP, events
            bool receivedAlaw = (buffer[1] & 0x7F) == 8;
            bool sentAlaw = _transcode ? !receivedAlaw : receivedAlaw;
            int offset = 12 + 4 * (buffer[0] & 0x0F);
            if (!_stamp.TryRead(buffer.AsSpan(offset, length - offset), sentAlaw, receivedAlaw, out int leg, out int sequence, out long sent)
                || (uint)leg >= (uint)_legs || (uint)(sequence >> 6) >= (uint)_received[leg].Length)
            {
                Unreadable++; // concealment the engine made up for a packet it never got in time
                continue;
            }
            _received[leg][sequence >> 6] |= 1UL << (sequence & 63);
            if (sent >= Volatile.Read(ref _windowStart) && sent < Volatile.Read(ref _windowEnd))
                _histogram[Histogram.Bucket((arrival - sent) * 1_000_000 / Stopwatch.Frequency)]++;
        }
    }
}

/// <summary>What came back, over the measured window. Delays in microseconds.</summary>
internal sealed record GeneratorReport(long Sent, long Received, long Lost, long Late, double P50, double P99, double P999,
    double Max, double Baseline);
