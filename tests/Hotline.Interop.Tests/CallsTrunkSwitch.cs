using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// A switch with SIPp agents for trunks, each on a port of its own chosen now (the switch's
/// configuration names them before any SIPp runs):
/// <list type="bullet">
/// <item>carrier: IP-authenticated from 127.0.0.1:<see cref="CarrierPort"/> only (the phones share the
/// address, so the port is what tells a carrier's INVITE from a phone's); DID 01062345000 goes to
/// extension 1002; prefix 9 (stripped) goes out through it, presenting 12345.</item>
/// <item>out-503, out-silent and out-dead, each with backup behind it: prefixes 81, 82 and 83 (both
/// digits stripped). out-dead has nothing listening and an OPTIONS keep-alive every second that marks
/// it down after one unanswered probe.</item>
/// </list>
/// The overlay is merged with the demo configuration by array index, so the first trunk, outbound and
/// inbound route set every field the demo's first ones have.
/// </summary>
public sealed class CallsTrunkSwitch : CallsSwitch
{
    public const string Did = "01062345000";
    public const string DidExtension = "1002";
    public const string CallerId = "12345";

    public int CarrierPort { get; } = FreePorts.UdpAndTcp();
    public int Port503 { get; } = FreePorts.UdpAndTcp();
    public int SilentPort { get; } = FreePorts.UdpAndTcp();
    public int DeadPort { get; } = FreePorts.UdpAndTcp();
    public int BackupPort { get; } = FreePorts.UdpAndTcp();

    protected override IReadOnlyDictionary<string, object?> Settings => new Dictionary<string, object?>
    {
        ["Trunks"] = new object[]
        {
            Trunk("carrier", CarrierPort, allowedSources: [$"127.0.0.1:{CarrierPort}"]),
            Trunk("out-503", Port503),
            Trunk("out-silent", SilentPort),
            Trunk("out-dead", DeadPort, optionsIntervalSeconds: 1),
            Trunk("backup", BackupPort),
        },
        ["OutboundRoutes"] = new object[]
        {
            new { Name = "local-9", Prefix = "9", Strip = 1, Trunks = new[] { "carrier" } },
            new { Name = "failover-503", Prefix = "81", Strip = 2, Trunks = new[] { "out-503", "backup" } },
            new { Name = "failover-silent", Prefix = "82", Strip = 2, Trunks = new[] { "out-silent", "backup" } },
            new { Name = "failover-dead", Prefix = "83", Strip = 2, Trunks = new[] { "out-dead", "backup" } },
        },
        ["InboundRoutes"] = new object[] { new { Did, Target = "Extension", Value = DidExtension } },
    };

    internal static object Trunk(string name, int port, string[]? allowedSources = null, int optionsIntervalSeconds = 0) => new
    {
        Name = name, Host = "127.0.0.1", Port = port, Transport = "Udp", AllowedSources = allowedSources ?? [],
        CallerId, DialFormat = "National", MaxConcurrentCalls = 100, MaxCallsPerMinute = 600,
        OptionsIntervalSeconds = optionsIntervalSeconds, OptionsFailuresToDown = 1, Record = false,
    };
}
