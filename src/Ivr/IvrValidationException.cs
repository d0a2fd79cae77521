namespace Hotline.Ivr;

/// <summary>A configuration record (schedule, hotline, mailbox, blacklist entry, campaign …) refused, with every problem named by field.</summary>
public sealed class IvrValidationException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0) throw new IvrValidationException(problems);
    }
}
