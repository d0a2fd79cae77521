using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;

namespace Hotline.Switch.Tests.Cdrs;

/// <summary>
/// The number search is a plain substring search: what a supervisor types is text, never a pattern. LiteDB's
/// LIKE (what string.Contains became) read '%' and '_' as wildcards, and "%2e" kept a request thread
/// busy for ever (found by fuzzing the API).
/// </summary>
public class CdrSearchTests : IDisposable
{
    private readonly MemoryStream _db = new();
    private readonly HotlineStore _store;
    private readonly LiteDbCdrStore _cdrs;

    public CdrSearchTests()
    {
        _store = new HotlineStore(_db, "/tmp/hotline-test");
        _cdrs = new LiteDbCdrStore(_store);
        var start = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(8));
        _cdrs.Add(new Cdr { Id = "a", CallId = "a@x", Caller = "13800138000", Callee = "12345", Start = start, End = start.AddMinutes(1) });
        _cdrs.Add(new Cdr { Id = "b", CallId = "b@x", Caller = "1001", Callee = "9_01%2e", Start = start.AddMinutes(2), End = start.AddMinutes(3) });
        _cdrs.Add(new Cdr { Id = "c", CallId = "c@x", Caller = "anonymous", Callee = "1002", Start = start.AddMinutes(4), End = start.AddMinutes(5) });
    }

    private string[] Ids(string number) =>
        Task.Run(() => _cdrs.Search(new CdrQuery(Number: number)).Select(c => c.Id).Order().ToArray())
            .WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();

    [Theory]
    [InlineData("138", new[] { "a" })]
    [InlineData("1234", new[] { "a" })]   // the callee side
    [InlineData("100", new[] { "b", "c" })]
    [InlineData("anon", new[] { "c" })]
    [InlineData("%2e", new[] { "b" })]    // hung before; a literal '%' only where there is one
    [InlineData("_", new[] { "b" })]      // not "any one character"
    [InlineData("%", new[] { "b" })]
    [InlineData("xyz", new string[0])]
    public void Numbers_are_found_as_text(string number, string[] expected)
    {
        Assert.Equal(expected, Ids(number));
        Assert.Equal(expected.Length, _cdrs.Count(new CdrQuery(Number: number)));
    }

    [Fact]
    public void A_record_whose_Call_ID_and_numbers_exceed_an_index_key_is_kept()
    {
        // SIP sets no length on either; LiteDB refuses a document whose index key is 1,023 bytes or more, and the
        // record was lost ("could not store the CDR", found by fuzzing).
        var start = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.FromHours(8));
        _cdrs.Add(new Cdr { Id = "long", CallId = new string('c', 3000) + "@x", Caller = new string('1', 3000), Callee = "12345", Start = start, End = start.AddMinutes(1) });
        var stored = _cdrs.Get("long");
        Assert.NotNull(stored);
        Assert.Equal(HotlineStore.MaxIndexedLength, stored.CallId.Length);
        Assert.Equal(new string('1', HotlineStore.MaxIndexedLength), stored.Caller);
        Assert.Equal(["long"], Ids("1111"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _db.Dispose();
    }
}
