using System.Text;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// What a SIPp caller (Scenarios/caller.xml) does once answered, as the scenario's MEDIA and HANGUP steps:
/// pauses, RFC 2833 keys from SIPp's dtmf_2833_*.pcap, G.711 A-law speech from g711a.pcap, and then either
/// waiting for the switch to hang up or hanging up itself.
/// </summary>
internal sealed class CallerScript
{
    private readonly StringBuilder _media = new();
    private bool _hangsUp;
    // Where the pause that lets the last played pcap go out begins in _media, if the script ends with one.
    private int? _trailingPlayPause;

    /// <summary>Waits <paramref name="milliseconds"/> (while prompts play).</summary>
    public CallerScript Pause(int milliseconds)
    {
        _trailingPlayPause = null;
        _media.Append($"  <pause milliseconds=\"{milliseconds}\"/>\n");
        return this;
    }

    /// <summary>Presses <paramref name="key"/> (0-9, *, #): one RFC 2833 event, about 200 ms of packets.</summary>
    public CallerScript Key(char key)
    {
        var name = key switch
        {
            '*' => "star",
            '#' => "pound",
            >= '0' and <= '9' => key.ToString(),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a telephone key"),
        };
        return Play(Peers.Pcap("dtmf_2833_" + name), 400);
    }

    /// <summary>Speaks: 7 s of G.711 A-law audio.</summary>
    public CallerScript Speak() => Play(Peers.Pcap("g711a"), 7300);

    /// <summary>The caller hangs up (BYE) where the script ends, instead of waiting for the switch to.</summary>
    public CallerScript HangUp()
    {
        _hangsUp = true;
        return this;
    }

    // play_pcap_audio returns at once; the pause lets the packets go out before the next step.
    private CallerScript Play(string pcap, int lasts)
    {
        _media.Append($"  <nop><action><exec play_pcap_audio=\"{pcap}\"/></action></nop>\n");
        Pause(lasts);
        _trailingPlayPause = _media.Length - $"  <pause milliseconds=\"{lasts}\"/>\n".Length;
        return this;
    }

    // When the switch is to hang up after the last key (a voicemail ended by '#' and a short goodbye), its BYE
    // may come while that key's packets are still going out: SIPp must already be waiting for it, or it takes
    // the BYE for an unexpected message and fails the call. SIPp stops the pcap playback when the call ends.
    private string Media => !_hangsUp && _trailingPlayPause is { } at ? _media.ToString(0, at) : _media.ToString();

    /// <summary>The scenario's placeholders.</summary>
    public IReadOnlyDictionary<string, string> Fill => new Dictionary<string, string>
    {
        ["MEDIA"] = Media,
        ["HANGUP"] = _hangsUp ? CallerHangsUp : SwitchHangsUp,
    };

    private const string SwitchHangsUp = """
          <recv request="BYE" timeout="60000"/>
          <send>
            <![CDATA[

              SIP/2.0 200 OK
              [last_Via:]
              [last_From:]
              [last_To:]
              [last_Call-ID:]
              [last_CSeq:]
              Content-Length: 0

            ]]>
          </send>
        """;

    private const string CallerHangsUp = """
          <send retrans="500">
            <![CDATA[

              BYE [next_url] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              [routes]
              From: <sip:[caller]@[local_ip]>;tag=[pid]caller[call_number]
              [last_To:]
              Call-ID: [call_id]
              CSeq: 2 BYE
              Max-Forwards: 70
              Content-Length: 0

            ]]>
          </send>
          <recv response="200"/>
        """;
}
