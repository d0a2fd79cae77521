namespace Hotline.Switch.Cdrs;

/// <summary>A search over call records; null fields don't filter.</summary>
public sealed record CdrQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Number = null, string? Extension = null,
    string? Trunk = null, CallDisposition? Disposition = null, int Skip = 0, int Limit = 100);

public interface ICdrStore
{
    void Add(Cdr cdr);
    Cdr? Get(string id);
    IReadOnlyList<Cdr> Search(CdrQuery query);
    int Count(CdrQuery query);
}
