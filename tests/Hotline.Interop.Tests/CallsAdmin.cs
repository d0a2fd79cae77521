using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Hotline.Switch.Cdrs;

namespace Hotline.Interop.Tests;

/// <summary>
/// The switch's REST API as an integration sees it, signed in through the login form (cookie session,
/// antiforgery token from the form), the way tests/Hotline.Admin.Tests does it against an in-process host.
/// </summary>
public sealed partial class AdminApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient _client;

    private AdminApi(HttpClient client) => _client = client;

    public Uri BaseAddress => _client.BaseAddress!;

    public static async Task<AdminApi> LoginAsync(Uri baseAddress, string user, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20),
        };
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        if (token.Length == 0) throw new InvalidOperationException($"no antiforgery token in {baseAddress}login");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["userName"] = user, ["password"] = password, ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
            throw new InvalidOperationException($"login as {user} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return new AdminApi(client);
    }

    /// <summary>The most recent call records (newest first, as the API lists them).</summary>
    public async Task<IReadOnlyList<Cdr>> CdrsAsync(int limit = 200)
    {
        var page = await _client.GetFromJsonAsync<Page>($"/api/cdrs?limit={limit}", Json)
            ?? throw new InvalidOperationException("/api/cdrs answered nothing");
        return page.Items;
    }

    /// <summary>
    /// Waits for the record of the call whose caller-side Call-ID is <paramref name="callId"/>: the
    /// switch writes it when the call is over, a moment after the last BYE.
    /// </summary>
    public async Task<Cdr?> WaitForCdrAsync(string callId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var cdr = (await CdrsAsync()).FirstOrDefault(c => c.CallId == callId);
            if (cdr is not null || DateTime.UtcNow >= deadline) return cdr;
            await Task.Delay(200);
        }
    }

    /// <summary>Waits for a record that <paramref name="match"/> accepts (for calls whose Call-ID a SIPp agent chose).</summary>
    public async Task<Cdr?> WaitForCdrAsync(Func<Cdr, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var cdr = (await CdrsAsync()).FirstOrDefault(match);
            if (cdr is not null || DateTime.UtcNow >= deadline) return cdr;
            await Task.Delay(200);
        }
    }

    /// <summary>Plain JSON of <paramref name="cdr"/>, for failure messages.</summary>
    public static string Show(Cdr? cdr) => cdr is null ? "(no record)" : JsonSerializer.Serialize(cdr, new JsonSerializerOptions(Json) { WriteIndented = true });

    public void Dispose() => _client.Dispose();

    private sealed record Page(List<Cdr> Items, int Total);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
