namespace Hotline.Switch.Trunks;

/// <summary>How trunk registration and keep-alive pace themselves.</summary>
public sealed record TrunkTimings
{
    /// <summary>First retry after a failed registration; each further failure doubles it …</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>… up to this.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// Each retry comes up to this fraction early, at random, so that trunks (and nodes) that failed
    /// together don't retry together.
    /// </summary>
    public double Jitter { get; init; } = 0.2;
    /// <summary>An OPTIONS probe unanswered this long counts as a failure (sooner than Timer F's 32 s).</summary>
    public TimeSpan OptionsTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long shutdown waits for the registrar to confirm an unregistration.</summary>
    public TimeSpan UnregisterTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static TrunkTimings Default { get; } = new();

    /// <summary>
    /// When to refresh a registration granted for <paramref name="granted"/>: at half of it, or 30 s
    /// before it ends if that is sooner, but not before a quarter of it has passed.
    /// </summary>
    public static TimeSpan RefreshAfter(TimeSpan granted)
    {
        var half = granted / 2;
        var margin = granted - TimeSpan.FromSeconds(30);
        var quarter = granted / 4;
        var pick = margin < half ? margin : half;
        return pick > quarter ? pick : quarter;
    }

    /// <summary>
    /// The wait before retry number <paramref name="failures"/> (1 = after the first failure):
    /// <see cref="RetryMin"/> doubling up to <see cref="RetryMax"/>, less up to <see cref="Jitter"/> of it.
    /// </summary>
    public TimeSpan Backoff(int failures, double random)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ticks = Math.Min(RetryMin.Ticks * Math.Pow(2, doublings), RetryMax.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 - Jitter * Math.Clamp(random, 0, 1))));
    }
}
