using System.Diagnostics;
using Hotline.Ivr.Tests.Support;
using Hotline.Ivr.Voicemail;
using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Ivr.Tests.Interop;

/// <summary>
/// baresip (with its mwi module) registers as 1001 to the real switch on loopback, with the IVR plugged in,
/// and subscribes to its message summary: it must see "Messages-Waiting: no", then "yes" once a message is
/// left, then "no" again after the message is marked read through the API.
/// </summary>
public sealed class MwiBaresipTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotline-ivr-interop", Guid.NewGuid().ToString("N"));
    private Process? _baresip;

    [Fact]
    public async Task Baresip_sees_the_lamp_go_on_with_a_message_and_off_when_it_is_read()
    {
        ExternalTool.Require("baresip");
        var ct = TestContext.Current.CancellationToken;
        var sipPort = FreePorts.UdpAndTcp();
        var phonePort = FreePorts.Udp();
        var settings = new SwitchSettings
        {
            Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = sipPort, Realm = "hotline" },
            Media = new MediaSettings { RtpPortMin = 41000, RtpPortMax = 41998 },
            Extensions = [new ExtensionConfig { Number = "1001", Name = "Wang", Password = "secret1001" }],
        };
        // Several switches share this test process's thread pool (and its blocking test code): one switch's
        // queue delay would be the others' load, so overload control stays off here (OverloadControlTests cover it).
        settings.Calls.OverloadQueueDelayMs = 0;
        Directory.CreateDirectory(_dir);
        var store = new HotlineStore(new StorageOptions { DataDirectory = Path.Combine(_dir, "data") });
        await using var sw = new HotlineSwitch(settings, store, TimeProvider.System, NullLoggerFactory.Instance);
        await using var ivr = new IvrModule(sw, new IvrOptions { GeneratePrompts = false }, TimeProvider.System, NullLoggerFactory.Instance);
        ivr.Services.Voicemail.SaveMailbox(new Mailbox { Id = "1001", Name = "Wang" }, "1001");
        sw.Start();

        var log = StartBaresip(sipPort, phonePort);
        await WaitFor(log, "Messages-Waiting: no", 1, ct);

        var path = ivr.Services.Voicemail.NewRecordingPath("1001", "13800138000");
        TestWav.WriteTone(path, 2);
        var message = ivr.Services.Voicemail.Deposit("1001", new MessageOrigin("13800138000", null, "12345", "test"), path)!;
        await WaitFor(log, "Messages-Waiting: yes", 1, ct);
        Assert.Contains("Voice-Message: 1/0 (0/0)", File.ReadAllText(log));

        ivr.Services.Voicemail.MarkRead("1001", message.Id);
        await WaitFor(log, "Messages-Waiting: no", 2, ct);
        Assert.Contains("Voice-Message: 0/1 (0/0)", File.ReadAllText(log));
        store.Dispose();
    }

    private string StartBaresip(int sipPort, int phonePort)
    {
        var config = Path.Combine(_dir, "baresip");
        Directory.CreateDirectory(config);
        var silence = Path.Combine(_dir, "silence.wav");
        TestWav.WriteTone(silence, 30, hz: 0);
        File.WriteAllText(Path.Combine(config, "config"), $"""
            poll_method epoll
            sip_listen 127.0.0.1:{phonePort}
            net_interface 127.0.0.1
            dns_server 127.0.0.1:53
            audio_source aufile,{silence}
            ausrc_srate 8000
            ausrc_channels 1
            rtp_ports 41900-41919
            statmode_default off
            module_path /usr/lib/baresip/modules
            module g711.so
            module aufile.so
            module_tmp account.so
            module_app menu.so
            module_app mwi.so
            """);
        File.WriteAllText(Path.Combine(config, "accounts"),
            $"<sip:1001@127.0.0.1:{sipPort};transport=udp>;auth_pass=secret1001;answermode=manual;audio_codecs=PCMU;regint=300;mwi=yes\n");
        var log = Path.Combine(_dir, "baresip.log");
        var start = new ProcessStartInfo("baresip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", config, "-t", "60" }) start.ArgumentList.Add(a);
        _baresip = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        _baresip.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        _baresip.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        _baresip.BeginOutputReadLine();
        _baresip.BeginErrorReadLine();
        return log;
    }

    private static async Task WaitFor(string log, string text, int occurrences, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var content = File.Exists(log) ? ReadShared(log) : "";
            var count = 0;
            for (var i = content.IndexOf(text, StringComparison.Ordinal); i >= 0; i = content.IndexOf(text, i + 1, StringComparison.Ordinal)) count++;
            if (count >= occurrences) return;
            await Task.Delay(100, ct);
        }
        Assert.Fail($"baresip never showed '{text}' {occurrences} time(s):\n{ReadShared(log)}");
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public ValueTask DisposeAsync()
    {
        if (_baresip is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(5000);
        }
        _baresip?.Dispose();
        return ValueTask.CompletedTask;
    }
}
