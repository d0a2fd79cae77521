namespace Hotline.Switch.Sip;

/// <summary>
/// A slice of a message's buffer, kept as offsets so parsing copies nothing.
/// <see cref="None"/> (length −1) means "absent", which differs from present-but-empty.
/// </summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public static readonly ByteRange None = new(0, -1);

    public bool IsPresent => Length >= 0;

    public int End => Start + Length;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => IsPresent ? buffer.Slice(Start, Length) : default;

    public static ByteRange FromBounds(int start, int end) => new(start, end - start);
}
