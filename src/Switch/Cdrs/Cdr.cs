namespace Hotline.Switch.Cdrs;

/// <summary>How a call ended, in the terms hotline reports use.</summary>
public enum CallDisposition { Answered, NoAnswer, Busy, Failed, Cancelled, Rejected }

/// <summary>Which side ended an answered call, or who gave up on an unanswered one.</summary>
public enum HangupSide { Caller, Callee, System }

/// <summary>One party's side of a call: the dialog with a phone or a trunk.</summary>
public sealed class CdrLeg
{
    public string Role { get; set; } = "";       // caller, callee, transfer
    public string Peer { get; set; } = "";       // extension number, or trunk:number
    public string CallId { get; set; } = "";
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? Answer { get; set; }
    public DateTimeOffset? End { get; set; }
    public int FinalStatus { get; set; }
    public string? Codec { get; set; }
    public long PacketsReceived { get; set; }
    public long PacketsSent { get; set; }
    public long PacketsLost { get; set; }
}

/// <summary>A call detail record: one per call, with its legs.</summary>
public sealed class Cdr
{
    public string Id { get; set; } = "";
    /// <summary>The caller's Call-ID (the A leg).</summary>
    public string CallId { get; set; } = "";
    public string Caller { get; set; } = "";
    public string? CallerName { get; set; }
    /// <summary>The number dialled (for calls from a trunk, the DID).</summary>
    public string Callee { get; set; } = "";
    public string? Did { get; set; }
    public string? InboundTrunk { get; set; }
    public string? OutboundTrunk { get; set; }
    /// <summary>The extension that answered or was rung, if any.</summary>
    public string? Extension { get; set; }
    /// <summary>The call was put through to a user's follow-me numbers (outside phones asked to accept it).</summary>
    public bool FollowMe { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? Answer { get; set; }
    public DateTimeOffset End { get; set; }
    public CallDisposition Disposition { get; set; }
    /// <summary>Seconds from answer to end, rounded up (what a carrier would bill).</summary>
    public int BillableSeconds { get; set; }
    public string? RecordingPath { get; set; }
    /// <summary>Every recording of the call: a transferred call continues in a second file.</summary>
    public List<string> Recordings { get; set; } = [];
    public HangupSide HangupSide { get; set; }
    /// <summary>SIP status and reason of the end, e.g. "200 BYE", "486 Busy Here", "487 Request Terminated".</summary>
    public string HangupCause { get; set; } = "";
    public List<CdrLeg> Legs { get; set; } = [];
}
