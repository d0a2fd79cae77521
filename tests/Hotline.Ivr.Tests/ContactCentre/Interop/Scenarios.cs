namespace Hotline.Ivr.Tests.ContactCentre.Interop;

/// <summary>SIPp scenarios for queue callers and agents' phones.</summary>
internal static class Scenarios
{
    private const string Sdp = """
        v=0
        o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
        s=-
        c=IN IP[media_ip_type] [media_ip]
        t=0 0
        m=audio [media_port] RTP/AVP 0
        a=rtpmap:0 PCMU/8000
        """;

    /// <summary>A citizen calling <paramref name="dialled"/>: waits (in the queue, then talking) until the switch hangs up.</summary>
    public static string Caller(string dialled) => $$"""
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="queue caller">
          <send retrans="500">
            <![CDATA[
        INVITE sip:{{dialled}}@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        From: <sip:1380013[call_number]@[local_ip]>;tag=[pid]caller[call_number]
        To: <sip:{{dialled}}@[remote_ip]:[remote_port]>
        Call-ID: [call_id]
        CSeq: 1 INVITE
        Contact: <sip:citizen@[local_ip]:[local_port]>
        Max-Forwards: 70
        Content-Type: application/sdp
        Content-Length: [len]

        {{Sdp}}
            ]]>
          </send>
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="183" optional="true"/>
          <recv response="200" rrs="true"/>
          <send>
            <![CDATA[
        ACK [next_url] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        From: <sip:1380013[call_number]@[local_ip]>;tag=[pid]caller[call_number]
        [last_To:]
        [routes]
        Call-ID: [call_id]
        CSeq: 1 ACK
        Contact: <sip:citizen@[local_ip]:[local_port]>
        Max-Forwards: 70
        Content-Length: 0

            ]]>
          </send>
          <recv request="BYE" timeout="90000"/>
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
        </scenario>
        """;

    /// <summary>Agents' phones: ring, answer, talk <paramref name="talkMs"/>, hang up — for any number of calls.</summary>
    public static string AnsweringPhone(int talkMs) => $$"""
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="agent phone">
          <recv request="INVITE">
            <action>
              <ereg regexp=".*" search_in="hdr" header="From:" assign_to="from"/>
              <ereg regexp="sip:([a-zA-Z0-9@.:_-]+)" search_in="hdr" header="Contact:" assign_to="trash,contact"/>
            </action>
          </recv>
          <send>
            <![CDATA[
        SIP/2.0 180 Ringing
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]agent[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Contact: <sip:agent@[local_ip]:[local_port]>
        Content-Length: 0

            ]]>
          </send>
          <send retrans="500">
            <![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]agent[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Contact: <sip:agent@[local_ip]:[local_port]>
        Content-Type: application/sdp
        Content-Length: [len]

        {{Sdp}}
            ]]>
          </send>
          <recv request="ACK"/>
          <pause milliseconds="{{talkMs}}"/>
          <send retrans="500">
            <![CDATA[
        BYE sip:[$contact] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        From: <sip:agent@[local_ip]:[local_port]>;tag=[pid]agent[call_number]
        To: [$from]
        Call-ID: [call_id]
        CSeq: 2 BYE
        Max-Forwards: 70
        Content-Length: 0

            ]]>
          </send>
          <recv response="200"/>
          <Reference variables="trash"/>
        </scenario>
        """;

    /// <summary>A phone nobody picks up: rings until the switch gives up (CANCEL).</summary>
    public const string RingingPhone = """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="unanswered phone">
          <recv request="INVITE"/>
          <send>
            <![CDATA[
        SIP/2.0 180 Ringing
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]ring[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Contact: <sip:agent@[local_ip]:[local_port]>
        Content-Length: 0

            ]]>
          </send>
          <recv request="CANCEL"/>
          <send>
            <![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]ring[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Content-Length: 0

            ]]>
          </send>
          <send>
            <![CDATA[
        SIP/2.0 487 Request Terminated
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]ring[call_number]
        [last_Call-ID:]
        CSeq: [last_cseq_number] INVITE
        Content-Length: 0

            ]]>
          </send>
          <recv request="ACK"/>
        </scenario>
        """;
}
