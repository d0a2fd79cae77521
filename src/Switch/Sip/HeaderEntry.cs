using System.Runtime.CompilerServices;

namespace Hotline.Switch.Sip;

/// <summary>One header field value in order of appearance; comma-separated lists of Via, Contact,
/// Route and Record-Route are split into one entry per value.</summary>
public readonly record struct HeaderEntry(HeaderId Id, ByteRange Name, ByteRange Value);

/// <summary>Room for the headers of a typical message inside the message object itself, so parsing
/// allocates only the message; longer messages spill into a pooled array.</summary>
[InlineArray(Capacity)]
internal struct InlineHeaders
{
    public const int Capacity = 32;
    private HeaderEntry _first;
}
