using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Hotline.Media.Engine;

namespace Hotline.Benchmarks.Engine;

/// <summary>
/// What each way of reading a media worker's sockets costs per datagram on loopback, side by side:
/// a plain send + receive (the floor), the same with an epoll wait over a set of 200 sockets in between
/// (the engine's Epoll mode), an asynchronous receive already pending when the datagram arrives (the
/// runtime's socket engine, as in AsyncReceive mode under load: the completion hops to the thread pool),
/// and the price of asking one idle socket whether it has data (what a worker polling its sockets pays
/// for every socket on every pass, data or not).
/// </summary>
[MemoryDiagnoser]
public class SocketReadBenchmarks
{
    private const int IdleSockets = 199;
    private readonly byte[] _packet = new byte[172];
    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _events = new byte[256 * LinuxEpoll.EventSize];
    private readonly Memory<byte> _asyncBuffer = new byte[2048];
    private Socket _client = null!;
    private Socket _server = null!;
    private Socket _asyncServer = null!;
    private Socket[] _idle = [];
    private SocketAddress _serverAddress = null!;
    private SocketAddress _asyncServerAddress = null!;
    private SocketAddress _from = null!;
    private SocketAddress _asyncFrom = null!;
    private int _epoll = -1;

    [GlobalSetup]
    public void Setup()
    {
        _client = Bind();
        _server = Bind();
        _server.Blocking = false;
        _serverAddress = _server.LocalEndPoint!.Serialize();
        _asyncServer = Bind();
        _asyncServerAddress = _asyncServer.LocalEndPoint!.Serialize();
        _from = new SocketAddress(AddressFamily.InterNetwork);
        _asyncFrom = new SocketAddress(AddressFamily.InterNetwork);
        _idle = Enumerable.Range(0, IdleSockets).Select(_ => Bind()).ToArray();
        if (RawSendThenRawReceive() != _packet.Length)
            throw new InvalidOperationException("raw sendto/recvfrom did not pass the datagram");
        if (LinuxEpoll.IsSupported)
        {
            _epoll = LinuxEpoll.Create();
            LinuxEpoll.Add(_epoll, (int)_server.SafeHandle.DangerousGetHandle(), 0);
            for (int i = 0; i < _idle.Length; i++)
                LinuxEpoll.Add(_epoll, (int)_idle[i].SafeHandle.DangerousGetHandle(), (ulong)i + 1);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_epoll >= 0)
            LinuxEpoll.Close(_epoll);
        _client.Dispose();
        _server.Dispose();
        _asyncServer.Dispose();
        foreach (var socket in _idle)
            socket.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int SendThenReceive()
    {
        _client.SendTo(_packet, SocketFlags.None, _serverAddress);
        return _server.ReceiveFrom(_buffer, SocketFlags.None, _from);
    }

    [Benchmark]
    public int SendThenEpollThenReceive()
    {
        _client.SendTo(_packet, SocketFlags.None, _serverAddress);
        int ready = LinuxEpoll.Wait(_epoll, _events, 100);
        return ready == 1 ? _server.ReceiveFrom(_buffer, SocketFlags.None, _from) : -1;
    }

    [Benchmark]
    public async Task<int> PendingAsyncReceiveThenSend()
    {
        var receive = _asyncServer.ReceiveFromAsync(_asyncBuffer, SocketFlags.None, _asyncFrom);
        _client.SendTo(_packet, SocketFlags.None, _asyncServerAddress);
        return await receive;
    }

    [Benchmark]
    public int PollOneIdleSocket() => _idle[0].Available;

    /// <summary>The same datagram with the libc calls themselves: what the runtime's Socket layer adds.</summary>
    [Benchmark]
    public unsafe int RawSendThenRawReceive()
    {
        int client = (int)_client.SafeHandle.DangerousGetHandle();
        int server = (int)_server.SafeHandle.DangerousGetHandle();
        fixed (byte* packet = _packet)
        fixed (byte* to = _serverAddress.Buffer.Span)
        fixed (byte* buffer = _buffer)
        {
            _ = RawSockets.sendto(client, packet, _packet.Length, 0, to, _serverAddress.Size);
            return (int)RawSockets.recvfrom(server, buffer, _buffer.Length, 0, null, null);
        }
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}

internal static unsafe partial class RawSockets
{
    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    internal static partial nint sendto(int fd, byte* buffer, nint length, int flags, byte* to, int toLength);

    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    internal static partial nint recvfrom(int fd, byte* buffer, nint length, int flags, byte* from, int* fromLength);
}
