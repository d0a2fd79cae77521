namespace Hotline.Switch.Sip;

/// <summary>Methods of RFC 3261 and the extensions a PBX meets; anything else is <see cref="Extension"/>.</summary>
public enum SipMethod : byte
{
    Extension = 0,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,      // RFC 3262
    Subscribe,  // RFC 6665
    Notify,     // RFC 6665
    Publish,    // RFC 3903
    Info,       // RFC 6086
    Refer,      // RFC 3515
    Message,    // RFC 3428
    Update,     // RFC 3311
}

public static class SipMethods
{
    private static readonly string[] s_names =
        ["", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"];

    private static readonly byte[][] s_bytes = s_names.Select(n => System.Text.Encoding.ASCII.GetBytes(n)).ToArray();

    /// <summary>The method's name as written on the wire; empty for <see cref="SipMethod.Extension"/>.</summary>
    public static string Name(this SipMethod method) => s_names[(int)method];

    public static ReadOnlySpan<byte> NameBytes(this SipMethod method) => s_bytes[(int)method];

    /// <summary>
    /// Method names are case-sensitive (RFC 3261 §7.1): "invite" is an unknown extension method, not INVITE.
    /// </summary>
    public static SipMethod Parse(ReadOnlySpan<byte> name)
    {
        switch (name.Length)
        {
            case 3:
                if (name.SequenceEqual("ACK"u8)) return SipMethod.Ack;
                if (name.SequenceEqual("BYE"u8)) return SipMethod.Bye;
                break;
            case 4:
                if (name.SequenceEqual("INFO"u8)) return SipMethod.Info;
                break;
            case 5:
                if (name.SequenceEqual("PRACK"u8)) return SipMethod.Prack;
                if (name.SequenceEqual("REFER"u8)) return SipMethod.Refer;
                break;
            case 6:
                if (name.SequenceEqual("INVITE"u8)) return SipMethod.Invite;
                if (name.SequenceEqual("CANCEL"u8)) return SipMethod.Cancel;
                if (name.SequenceEqual("NOTIFY"u8)) return SipMethod.Notify;
                if (name.SequenceEqual("UPDATE"u8)) return SipMethod.Update;
                break;
            case 7:
                if (name.SequenceEqual("OPTIONS"u8)) return SipMethod.Options;
                if (name.SequenceEqual("PUBLISH"u8)) return SipMethod.Publish;
                if (name.SequenceEqual("MESSAGE"u8)) return SipMethod.Message;
                break;
            case 8:
                if (name.SequenceEqual("REGISTER"u8)) return SipMethod.Register;
                break;
            case 9:
                if (name.SequenceEqual("SUBSCRIBE"u8)) return SipMethod.Subscribe;
                break;
        }
        return SipMethod.Extension;
    }

    public static SipMethod Parse(string name) => Parse(System.Text.Encoding.ASCII.GetBytes(name));
}
