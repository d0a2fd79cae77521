using System.Net;
using System.Net.Sockets;
using Hotline.Media.Engine;

namespace Hotline.Media.Tests.Engine;

/// <summary>The media path's recvfrom/sendto against real sockets: both address families, the source read back, errors as values.</summary>
public sealed class LinuxUdpTests
{
    public static TheoryData<string> Loopbacks => ["127.0.0.1", "::1"];

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void A_datagram_goes_out_and_comes_back_with_its_source_address(string loopback)
    {
        if (!LinuxUdp.IsSupported)
            Assert.Skip("Linux only");
        var address = IPAddress.Parse(loopback);
        using var a = Bound(address);
        using var b = Bound(address);
        var packet = Enumerable.Range(0, 172).Select(i => (byte)i).ToArray();
        var to = b.LocalEndPoint!.Serialize();

        Assert.True(LinuxUdp.SendTo(a.SafeHandle, packet, to));
        var buffer = new byte[2048];
        var from = new SocketAddress(address.AddressFamily);
        int length = -1;
        for (int i = 0; i < 100 && (length = LinuxUdp.ReceiveFrom(b.SafeHandle, buffer, from)) == -LinuxUdp.EAgain; i++)
            Thread.Sleep(10);

        Assert.Equal(packet, buffer[..length]);
        // The source as the runtime would have given it: equal to the sender's endpoint, usable to answer.
        Assert.Equal(a.LocalEndPoint, new IPEndPoint(address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0).Create(from));
        Assert.True(LinuxUdp.SendTo(b.SafeHandle, packet.AsSpan(0, 20), from));
        Assert.Equal(-LinuxUdp.EAgain, LinuxUdp.ReceiveFrom(b.SafeHandle, buffer, from)); // nothing more waiting
    }

    [Fact]
    public void A_closed_socket_fails_the_call_instead_of_touching_its_old_descriptor()
    {
        if (!LinuxUdp.IsSupported)
            Assert.Skip("Linux only");
        var a = Bound(IPAddress.Loopback);
        using var b = Bound(IPAddress.Loopback);
        var to = b.LocalEndPoint!.Serialize();
        a.Dispose();
        Assert.False(LinuxUdp.SendTo(a.SafeHandle, new byte[20], to));
        Assert.Equal(-LinuxUdp.EBadF, LinuxUdp.ReceiveFrom(a.SafeHandle, new byte[2048], new SocketAddress(AddressFamily.InterNetwork)));
    }

    private static Socket Bound(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Blocking = false;
        return socket;
    }
}
