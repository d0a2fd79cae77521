using System.Net;
using System.Net.Sockets;
using Hotline.Switch.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Transport;

/// <summary>The kernel's receive queue of the SIP socket, as overload control reads it.</summary>
public class UdpReceiveQueueTests
{
    [Fact]
    public async Task Datagrams_no_loop_has_read_fill_the_receive_queue_and_reading_them_empties_it()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("SO_MEMINFO is Linux's");
        var ingress = new SipIngress(new SipOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        using var transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), ingress, NullLogger.Instance);
        Assert.Equal(0.0, transport.ReceiveQueueFill);

        // Receive loops not started: what arrives stays in the kernel, as when the loops fall behind.
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var invite = new byte[1000];
        for (int i = 0; i < 1500; i++) sender.SendTo(invite, transport.LocalEndPoint);
        var fill = transport.ReceiveQueueFill;
        Assert.NotNull(fill);
        Assert.InRange(fill.Value, 0.125, 1.0); // 1,500 datagrams of 1 KB: well past the point overload control acts on

        using var stop = new CancellationTokenSource();
        var loops = transport.Start(1, stop.Token); // each datagram is read, found not to be SIP, and dropped
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (transport.ReceiveQueueFill > 0 && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(0.0, transport.ReceiveQueueFill);
        stop.Cancel();
        transport.Dispose();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
