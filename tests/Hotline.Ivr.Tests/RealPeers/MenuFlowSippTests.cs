using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Voicemail;
using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Trunks;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// SIPp callers come in over a trunk to DID 12345, whose flow is a two-level menu, and press keys with RFC 2833
/// events (SIPp's dtmf_2833_*.pcap). Where each call ends up is checked where it lands: the extension's phone (a
/// SIPp UAS) receives the INVITE, the queue lists the caller, the mailbox holds a WAV of the caller's speech;
/// wrong keys and silence are told apart by the branch the IVR call log records.
/// <para>
/// Each of SIPp's DTMF pcaps is one event with a fixed SSRC, sequence numbers and timestamp, shared by all of
/// them: played twice, a key is the same RTP packets again, which a receiver rightly drops as duplicates
/// (RFC 4733 §2.5.1.3: an event is known by its timestamp). So a call presses each key once, in ascending
/// order (the pcaps' sequence numbers ascend with the key: 0-9, *, #).
/// </para>
/// </summary>
public sealed class MenuFlowSippTests : RealPeerTest
{
    private const string Flow = "citizen-menu";

    private const string MenuJson = """
        {
          "id": "citizen-menu", "name": "Two-level citizen menu", "start": "welcome",
          "nodes": {
            "welcome": { "type": "play", "prompts": ["t/welcome"], "interruptible": true, "next": "main" },
            "main": {
              "type": "menu", "prompts": ["t/main"], "options": { "1": "services", "9": "leave-message" },
              "invalidPrompts": ["t/invalid"], "timeoutPrompts": ["t/no-input"], "timeoutSeconds": 2, "maxAttempts": 2,
              "onInvalid": "invalid-bye", "onTimeout": "timeout-bye"
            },
            "services": {
              "type": "menu", "prompts": ["t/services"], "options": { "2": "ring-1001", "3": "leave-message", "4": "queue" },
              "invalidPrompts": ["t/invalid"], "timeoutSeconds": 2, "maxAttempts": 2, "onFailure": "invalid-bye"
            },
            "ring-1001": { "type": "transfer", "target": "extension", "value": "1001", "ringTimeoutSeconds": 10, "onFailure": "leave-message" },
            "queue": { "type": "transfer", "target": "queue", "value": "8000", "onFailure": "leave-message" },
            "leave-message": { "type": "voicemail", "mailbox": "12345" },
            "invalid-bye": { "type": "hangup", "prompts": ["t/goodbye"] },
            "timeout-bye": { "type": "hangup", "prompts": ["t/goodbye"] }
          }
        }
        """;

    private readonly int _callerPort = FreePorts.Udp();
    private readonly int _phonePort = FreePorts.Udp();

    private Task<IvrOnLoopback> StartAsync() => StartSwitchAsync(new SwitchSettings
    {
        Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = FreePorts.UdpAndTcp(), Realm = "hotline" },
        Registrar = new RegistrarOptions { QualifySeconds = 0 },
        Media = new MediaSettings { RtpPortMin = 45000, RtpPortMax = 45998 },
        Extensions = [new ExtensionConfig { Number = "1001", Name = "Duty officer", Password = "secret1001" }],
        Trunks = [new TrunkConfig { Name = "carrier", Host = "127.0.0.1", Port = _callerPort, AllowedSources = [$"127.0.0.1:{_callerPort}"] }],
        InboundRoutes = [new InboundRouteConfig { Did = "12345", Trunk = "carrier", Target = "Ivr", Value = Flow }],
    }, ivr =>
    {
        foreach (var prompt in new[] { "t/welcome", "t/main", "t/services", "t/invalid", "t/no-input", "t/goodbye", "vm-greeting", "vm-thanks" })
            IvrOnLoopback.WritePrompt(ivr, prompt);
        ivr.Voicemail.SaveMailbox(new Mailbox { Id = "12345", Name = "12345 hotline", MaxMessageSeconds = 20 }, "1234");
        Assert.True(ivr.Flows.Save(MenuJson).Check.Valid);
    }, new ContactCentreOptions
    {
        // Nobody logged in: a caller handed to the queue waits there.
        Queues = [new QueueDefinition { Number = "8000", Name = "Citizens", AnnounceFirstSeconds = 0, AnnounceEverySeconds = 0, Members = [new() { Agent = "5001" }] }],
        Agents = [new AgentConfig { Number = "5001", Name = "Agent", Pin = "2468" }],
    });

    /// <summary>The call's record in the IVR call log, written as the flow lets go of the call (just after its BYE).</summary>
    private static async Task<IvrCallRecord> LogOf(IvrOnLoopback sw, string caller)
    {
        await Peers.Eventually(() => sw.Services.CallLog.Recent(caller: caller).Count > 0, $"the IVR call log to record the call from {caller}", TimeSpan.FromSeconds(10));
        return Assert.Single(sw.Services.CallLog.Recent(caller: caller));
    }

    private static string[] Path(params string[] nodes) => nodes.Select(n => $"{Flow}/{n}").ToArray();

    [Fact]
    public async Task Keys_1_then_2_ring_extension_1001_whose_phone_answers_with_the_callers_number()
    {
        Peers.RequirePcapPlayback();
        var sw = await StartAsync();
        sw.BindPhone("1001", _phonePort);
        var phone = await StartSippAsync("phone-1001", "uas-answer-hangup.xml", _phonePort);

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", "13800000001", new CallerScript().Pause(1000).Key('1').Pause(1200).Key('2'));

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        var invite = Assert.Single(phone.Invites());
        Assert.Equal("1001", invite.RequestUser);
        Assert.Contains("13800000001", invite.Header("From"));
        var record = await LogOf(sw, "13800000001");
        Assert.Equal(Path("welcome", "main", "services", "ring-1001"), record.Path);
        Assert.Equal("Connected", record.Outcome);
    }

    [Fact]
    public async Task Keys_1_then_3_leave_a_voicemail_holding_the_callers_speech()
    {
        Peers.RequirePcapPlayback();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", "13800000002",
            new CallerScript().Pause(1000).Key('1').Pause(1200).Key('3').Pause(1500).Speak().Key('#'));

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        var message = Assert.Single(sw.Services.Voicemail.List("12345"));
        Assert.Equal("13800000002", message.Caller);
        Assert.Equal("12345", message.Dialled);
        Assert.InRange(message.Duration.TotalSeconds, 3, 10);
        var wav = sw.Services.Voicemail.FilePath(message);
        Assert.True(File.Exists(wav), Explain($"no WAV at {wav}"));
        Assert.True(Rms(wav) > 0.01, Explain($"the message at {wav} is silent (RMS {Rms(wav):0.0000})"));
        Assert.Equal(Path("welcome", "main", "services", "leave-message"), (await LogOf(sw, "13800000002")).Path);
    }

    [Fact]
    public async Task Keys_1_then_4_put_the_caller_in_the_queue_until_they_hang_up()
    {
        Peers.RequirePcapPlayback();
        var sw = await StartAsync();
        var engine = sw.Centre!.Host.Engine;

        var call = CallAsync(sw, "caller", _callerPort, "12345", "13800000003",
            new CallerScript().Pause(1000).Key('1').Pause(1200).Key('4').Pause(4000).HangUp());
        QueueSnapshot Queue() => engine.QueryAsync(c => c.QueueSnapshot("8000", DateTimeOffset.UtcNow)).Result!;
        await Peers.Eventually(() => Queue().Calls.Any(w => w.Caller == "13800000003"), "the caller waiting in queue 8000", TimeSpan.FromSeconds(20));
        var (caller, exit) = await call;

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        await Peers.Eventually(() => Queue().InQueue == 0, "the queue to empty after the caller hung up", TimeSpan.FromSeconds(10));
        Assert.Equal(1, Queue().Statistics.Abandoned);
        Assert.Equal(Path("welcome", "main", "services", "queue"), (await LogOf(sw, "13800000003")).Path);
    }

    [Fact]
    public async Task Wrong_keys_twice_follow_the_invalid_branch()
    {
        Peers.RequirePcapPlayback();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", "13800000004", new CallerScript().Pause(1000).Key('7').Pause(1500).Key('8'));

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        var record = await LogOf(sw, "13800000004");
        Assert.Equal(Path("welcome", "main", "invalid-bye"), record.Path);
        Assert.Equal("HungUp", record.Outcome);
        Assert.Empty(sw.Services.Voicemail.List("12345"));
    }

    [Fact]
    public async Task Silence_follows_the_timeout_branch()
    {
        Peers.RequirePcapPlayback();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", "13800000005", new CallerScript());

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        var record = await LogOf(sw, "13800000005");
        Assert.Equal(Path("welcome", "main", "timeout-bye"), record.Path);
        Assert.Equal("HungUp", record.Outcome);
    }

    /// <summary>Root mean square of a 16-bit PCM WAV's samples, full scale = 1.</summary>
    private static double Rms(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var data = bytes.AsSpan(44);
        double sum = 0;
        var n = data.Length / 2;
        for (var i = 0; i < n; i++)
        {
            double s = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) / 32768.0;
            sum += s * s;
        }
        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }
}
