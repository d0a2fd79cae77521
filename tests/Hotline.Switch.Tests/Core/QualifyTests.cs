using System.Net;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Core;

public class QualifyTests
{
    private static BindingQualifier Qualifier(CoreTestKit kit) =>
        new(kit.Bindings, kit.Layer, LocalContact.From(new IPEndPoint(IPAddress.Loopback, 5060)), kit.Time, TimeSpan.FromSeconds(30), NullLogger.Instance);

    // Distinct Call-IDs: UDP retransmissions of one ping are not more pings.
    private static int Pings(CoreTestKit kit)
    {
        lock (kit.Sender.Sent) return kit.Sender.Sent.Where(s => s.Message.Method == SipMethod.Options).Select(s => s.Message.CallId).Distinct().Count();
    }

    private static async Task Advance(CoreTestKit kit, double seconds)
    {
        for (var t = 0.0; t < seconds; t += 0.5)
        {
            kit.Time.Advance(TimeSpan.FromSeconds(0.5));
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Registered_contacts_are_pinged_every_interval_at_their_source_address()
    {
        await using var kit = new CoreTestKit();
        using var qualifier = Qualifier(kit);
        kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.9:5062>");
        await Advance(kit, 31);
        Assert.Equal(1, Pings(kit));
        var ping = kit.Sender.Sent.First(s => s.Message.Method == SipMethod.Options);
        Assert.Equal("sip:1001@10.0.0.9:5062", ping.Message.RequestUriText);
        Assert.Equal(CoreTestKit.Phone, ping.To.EndPoint); // the REGISTER's source, not the private Contact: NAT
        var answer = SipResponses.Create(ping.Message, 200, toTag: "p");
        answer.Source = ping.To;
        kit.Layer.Receive(answer);
        var binding = Assert.Single(kit.Bindings.Lookup("1001"));
        Assert.True(qualifier.Status(binding)!.Reachable);
        Assert.NotNull(qualifier.Status(binding)!.RoundTripMs);
        await Advance(kit, 30);
        Assert.Equal(2, Pings(kit));
    }

    [Fact]
    public async Task A_contact_registered_with_URI_headers_is_pinged_without_them()
    {
        // RFC 4475 §3.3.14: the registrar keeps the headers; a Request-URI may not carry them.
        await using var kit = new CoreTestKit();
        using var qualifier = Qualifier(kit);
        Assert.Equal(200, kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.9:5062?Subject=hi>").StatusCode);
        Assert.Equal("sip:1001@10.0.0.9:5062?Subject=hi", Assert.Single(kit.Bindings.Lookup("1001")).ContactUri);
        await Advance(kit, 31);
        Assert.Equal(1, Pings(kit));
        Assert.Equal("sip:1001@10.0.0.9:5062", kit.Sender.Sent.First(s => s.Message.Method == SipMethod.Options).Message.RequestUriText);
    }

    [Fact]
    public async Task A_stored_binding_that_cannot_be_pinged_costs_its_own_ping_only()
    {
        // A binding no request can be built to (stored before the registrar refused such contacts): the sweep
        // runs on a timer, where an exception would end the process; the other phones are still pinged.
        await using var kit = new CoreTestKit();
        using var qualifier = Qualifier(kit);
        kit.Bindings.Apply("1002", new RegisterUpdate("old@phone", 1, false, [new ContactUpdate("0", "", 3600)],
            SipTransportKind.Udp, "192.168.1.30", 5062, 0, null), out _);
        kit.RegisterWithAuth("1001", "secret1001");
        await Advance(kit, 31);
        Assert.Equal(1, Pings(kit));
        await Advance(kit, 30);
        Assert.Equal(2, Pings(kit));
    }

    [Fact]
    public async Task A_contact_that_stops_answering_becomes_unreachable()
    {
        await using var kit = new CoreTestKit();
        using var qualifier = Qualifier(kit);
        kit.RegisterWithAuth("1001", "secret1001");
        var binding = Assert.Single(kit.Bindings.Lookup("1001"));
        await Advance(kit, 31 + 32);   // first ping times out (Timer F)
        Assert.True(qualifier.IsReachable(binding));
        await Advance(kit, 40);        // second ping times out too
        Assert.False(qualifier.IsReachable(binding));
        Assert.True(Pings(kit) >= 2);
    }
}
