using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// Garbage, truncated and oversized input from the test's own sockets: answered with 400 and a
/// Warning when a response is possible (RFC 3261 §8.2, §18.3, §20.43), dropped with a log line when
/// not, TCP connections closed when their stream cannot be framed; the switch keeps serving.
/// </summary>
public sealed partial class RobustnessTests(DemoSwitch fixture) : InteropTest(fixture), IClassFixture<DemoSwitch>
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);

    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    [Fact]
    public async Task Random_bytes_over_UDP_get_no_answer_and_are_logged_as_malformed()
    {
        using var probe = new SipProbe(Switch.Port);
        var answer = await probe.ExchangeAsync(RandomBytes(512, seed: 1), Silence);

        Assert.True(answer is null, Explain($"random bytes were answered: {answer}"));
        await AssertLoggedAsync($"dropped malformed message from {probe.Source}");
        await AssertStillAnswersUdpAsync(probe);
    }

    [Fact]
    public async Task A_65000_byte_garbage_datagram_gets_no_answer_and_is_logged_as_malformed()
    {
        using var probe = new SipProbe(Switch.Port);
        var answer = await probe.ExchangeAsync(RandomBytes(65_000, seed: 2), Silence);

        Assert.True(answer is null, Explain($"a 65,000-byte garbage datagram was answered: {answer}"));
        await AssertLoggedAsync($"dropped malformed message from {probe.Source}");
        await AssertStillAnswersUdpAsync(probe);
    }

    [Fact]
    public async Task An_INVITE_truncated_inside_its_body_is_answered_400_with_a_Warning()
    {
        // RFC 3261 §18.3: a datagram that ends before the body Content-Length announces is an error; a request SHOULD get 400.
        using var probe = new SipProbe(Switch.Port);
        var invite = SipText.Request("INVITE", Switch.Port, probe.LocalPort, extra: ["Content-Type: application/sdp"], body: Sdp);
        var truncated = SipText.Bytes(invite)[..^40];

        var answer = await probe.ExchangeAsync(truncated, Answer);

        AssertBadRequest(answer, "INVITE", "Content-Length");
        await AssertStillAnswersUdpAsync(probe);
    }

    [Fact]
    public async Task A_non_numeric_Content_Length_is_answered_400_with_a_Warning()
    {
        using var probe = new SipProbe(Switch.Port);
        var request = SipText.Request("OPTIONS", Switch.Port, probe.LocalPort).Replace("Content-Length: 0", "Content-Length: zero", StringComparison.Ordinal);

        var answer = await probe.ExchangeAsync(SipText.Bytes(request), Answer);

        AssertBadRequest(answer, "OPTIONS", "Content-Length");
        await AssertStillAnswersUdpAsync(probe);
    }

    [Fact]
    public async Task A_request_without_Call_ID_is_answered_400_with_a_Warning_naming_it()
    {
        // RFC 4475 §3.3.1: an element must not break on missing required headers and should answer 400.
        using var probe = new SipProbe(Switch.Port);
        var request = SipText.Request("OPTIONS", Switch.Port, probe.LocalPort, omit: "Call-ID");

        var answer = await probe.ExchangeAsync(SipText.Bytes(request), Answer);

        AssertBadRequest(answer, "OPTIONS", "Call-ID");
        await AssertStillAnswersUdpAsync(probe);
    }

    [Fact]
    public async Task A_TCP_stream_cut_in_the_middle_of_a_message_is_closed_and_new_connections_are_served()
    {
        using (var socket = await SipProbe.ConnectTcpAsync(Switch.Port))
        {
            var localPort = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
            var invite = SipText.Request("INVITE", Switch.Port, localPort, transport: "TCP", extra: ["Content-Type: application/sdp"], body: Sdp);
            await socket.SendAsync(SipText.Bytes(invite)[..(invite.Length / 2)], SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);

            var (closed, received) = await SipProbe.ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(5));

            Assert.True(closed, Explain("the switch kept a half-closed connection with half a message open"));
            Assert.True(received.Length == 0, Explain($"half a message was answered: {received}"));
        }
        await AssertStillAnswersTcpAsync();
    }

    [Fact]
    public async Task A_header_block_over_64_KiB_without_an_end_closes_the_TCP_connection()
    {
        using (var socket = await SipProbe.ConnectTcpAsync(Switch.Port))
        {
            var localPort = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
            await SendEndlessHeadersAsync(socket, localPort);

            var (closed, received) = await SipProbe.ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(5));

            Assert.True(closed, Explain("the switch kept reading a header block past 64 KiB"));
            Assert.True(received.Length == 0, Explain($"an endless header block was answered: {received}"));
            await AssertLoggedAsync($"closing TCP connection from 127.0.0.1:{localPort}: message larger than");
        }
        await AssertStillAnswersTcpAsync();
    }

    [Fact]
    public async Task After_all_kinds_of_garbage_SIPp_still_registers_and_nothing_threw()
    {
        using (var probe = new SipProbe(Switch.Port))
        {
            await probe.SendAsync(RandomBytes(512, seed: 3));
            await probe.SendAsync(RandomBytes(65_000, seed: 4));
            var invite = SipText.Request("INVITE", Switch.Port, probe.LocalPort, extra: ["Content-Type: application/sdp"], body: Sdp);
            await probe.SendAsync(SipText.Bytes(invite)[..^40]);
            await probe.SendAsync(SipText.Bytes(SipText.Request("OPTIONS", Switch.Port, probe.LocalPort).Replace("Content-Length: 0", "Content-Length: zero", StringComparison.Ordinal)));
            await probe.SendAsync(SipText.Bytes(SipText.Request("OPTIONS", Switch.Port, probe.LocalPort, omit: "Call-ID")));
        }
        using (var cut = await SipProbe.ConnectTcpAsync(Switch.Port))
        {
            await cut.SendAsync(Encoding.ASCII.GetBytes("INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-cut\r\nFrom: <sip:x@y>;ta"), SocketFlags.None);
            cut.Shutdown(SocketShutdown.Send);
            await SipProbe.ReadUntilClosedAsync(cut, TimeSpan.FromSeconds(5));
        }
        using (var endless = await SipProbe.ConnectTcpAsync(Switch.Port))
        {
            await SendEndlessHeadersAsync(endless, ((System.Net.IPEndPoint)endless.LocalEndPoint!).Port);
            await SipProbe.ReadUntilClosedAsync(endless, TimeSpan.FromSeconds(5));
        }

        var run = await RunSippAsync("register-auth.xml", "register-after-garbage", new SippOptions
        {
            Service = "1001", AuthUser = "1001", AuthPassword = "hotline1001",
        });

        Assert.True(run.ExitCode == 0, Explain($"SIPp REGISTER after garbage failed: {run.Summary}\n{run.Errors}", run.Process));
        Assert.Equal("401,200", run.Codes);
        await AssertLoggedAsync("dropped malformed message from UDP:127.0.0.1:");
        Assert.False(Switch.Process.HasExited, Explain("the switch exited"));
        var thrown = Switch.Process.StderrLines.Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal))
            .Concat(Switch.LogLines.Where(l => FailureLine().IsMatch(l) || l.Contains("Exception", StringComparison.Ordinal))).ToList();
        Assert.True(thrown.Count == 0, Explain("the switch logged errors or exceptions:\n" + string.Join('\n', thrown)));
    }

    /// <summary>A request line, then header lines without the empty line that would end them, 70,000 bytes in all.</summary>
    private static async Task SendEndlessHeadersAsync(Socket socket, int localPort)
    {
        var text = new StringBuilder($"INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:{localPort};branch=z9hG4bK-endless\r\n");
        for (var i = 0; text.Length < 70_000; i++) text.Append("X-Filler-").Append(i).Append(": ").Append('a', 200).Append("\r\n");
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()), SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // the switch may close before everything was sent: that is the behaviour under test
        }
    }

    private void AssertBadRequest(string? answer, string method, string named)
    {
        Assert.True(SipText.Status(answer) == 400, Explain($"expected 400 Bad Request, got: {answer ?? "no answer"}"));
        Assert.Equal($"1 {method}", SipText.Headers(answer, "CSeq").SingleOrDefault());
        var warning = SipText.Headers(answer, "Warning").SingleOrDefault();
        Assert.True(warning is not null && warning.StartsWith("399 ", StringComparison.Ordinal) && warning.Contains(named, StringComparison.Ordinal),
            Explain($"expected a 399 Warning naming {named}, got: {warning ?? "none"}\n{answer}"));
    }

    private async Task AssertStillAnswersUdpAsync(SipProbe probe)
    {
        var answer = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("OPTIONS", Switch.Port, probe.LocalPort)), Answer);
        Assert.True(SipText.Status(answer) == 200, Explain($"OPTIONS afterwards got: {answer ?? "no answer"}"));
    }

    private async Task AssertStillAnswersTcpAsync()
    {
        using var socket = await SipProbe.ConnectTcpAsync(Switch.Port);
        var localPort = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
        await socket.SendAsync(SipText.Bytes(SipText.Request("OPTIONS", Switch.Port, localPort, transport: "TCP")), SocketFlags.None);
        var answer = await SipProbe.ReadMessageAsync(socket, Answer);
        Assert.True(SipText.Status(answer) == 200, Explain($"OPTIONS over a new TCP connection got: {answer ?? "no answer"}"));
    }

    private async Task AssertLoggedAsync(string text)
    {
        var line = await Switch.WaitForLogAsync(new Regex(Regex.Escape(text)), TimeSpan.FromSeconds(5));
        Assert.True(line is not null, Explain($"the switch did not log \"{text}\""));
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex(@"\b(fail|crit): ")]
    private static partial Regex FailureLine();
}
