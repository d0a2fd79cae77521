using System.Net;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Store;
using Hotline.Switch.Transactions;
using Hotline.Switch.Transport;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Trunks;

/// <summary>The registration client against SIPp as a challenging registrar, over real UDP on loopback.</summary>
public class SippRegistrarTests
{
    [Fact]
    public async Task Registers_with_digest_auth_and_unregisters_with_a_real_registrar()
    {
        SippPeer.Require();
        var ct = TestContext.Current.CancellationToken;
        // Two "calls" for SIPp: the registration and the unregistration, each 401 → verifyauth → 200.
        // Both share one Call-ID (RFC 3261 §10.2.4); SIPp drops messages of a finished call's Call-ID
        // for -deadcall_wait (33 s by default), so it is shortened.
        using var sipp = await SippPeer.StartAsync(SippPeer.Scenario("uas-registrar-auth.xml"),
            "-set", "user", "trunk", "-set", "pass", "trunkpw", "-m", "2", "-deadcall_wait", "100", "-timeout", "60", "-timeout_error");

        var sip = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 };
        var ingress = new SipIngress(sip, TimeProvider.System, NullLoggerFactory.Instance);
        using var transports = new SipTransports(sip, ingress, TimeProvider.System, NullLoggerFactory.Instance);
        var layer = new TransactionLayer(transports, TimeProvider.System);
        ingress.Deliver = layer.Receive;
        transports.Tcp.SendFailed = layer.OnTransportError;
        using var stop = new CancellationTokenSource();
        transports.Start(stop.Token);
        using var store = new HotlineStore(new MemoryStream(), "/tmp/hotline-test");
        var trunks = new LiteDbTrunkRepository(store);
        trunks.Save(new Trunk
        {
            Name = "sipp", Host = "127.0.0.1", Port = sipp.Port, Username = "trunk", Password = "trunkpw", Register = true, RegisterExpires = 3600,
        });
        var manager = new TrunkManager(trunks, layer, LocalContact.From(new IPEndPoint(IPAddress.Loopback, transports.Port)), NullLogger.Instance);
        try
        {
            manager.Start();
            RegistrationStatus? status = null;
            for (var i = 0; i < 200; i++)
            {
                status = manager.Status("sipp")!.Registration!;
                if (status.State is RegistrationState.Registered or RegistrationState.Failed) break;
                await Task.Delay(50, ct);
            }
            Assert.True(status!.State == RegistrationState.Registered, $"{status} {await sipp.OutputAsync()}");
            Assert.Equal(200, status.LastStatus);
            // SIPp grants 300 s in our Contact although we asked for 3600.
            var granted = status.RegisteredUntil!.Value - status.Since;
            Assert.InRange(granted.TotalSeconds, 299, 301);
            // A call from the registrar's address now belongs to the trunk.
            Assert.Equal("sipp", manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Loopback, "trunk")));

            // SIPp keeps a finished call for its 500 ms timewait (then 100 ms as a dead call).
            await Task.Delay(1000, ct);
        }
        finally
        {
            await manager.DisposeAsync();
        }
        var after = manager.Status("sipp")!.Registration!;
        Assert.Equal(RegistrationState.Unregistered, after.State);
        Assert.Equal(200, after.LastStatus);

        var exit = await sipp.ExitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit == 0, $"sipp exited {exit}: {await sipp.OutputAsync()}");
        Assert.Equal("2", sipp.Stat("SuccessfulCall(C)"));
        Assert.Equal("0", sipp.Stat("FailedCall(C)"));
        stop.Cancel();
    }
}
