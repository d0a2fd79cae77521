using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Ivr.Flows;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Engine;

public sealed partial class FlowInterpreter
{
    private const int MaxLookupAnswer = 64 * 1024;

    /// <summary>
    /// Calls the external service. Values put into the URL are escaped; a POST carries the call's variables as
    /// a JSON object. The whole exchange, body included, must finish within the node's timeout, measured on the
    /// switch's clock; otherwise, or on a connection failure or a non-2xx status, the call takes onError (or next),
    /// with "saveAs.error" saying what went wrong.
    /// </summary>
    private async Task<Step> HttpLookupAsync(FlowSession s, HttpLookupNode n)
    {
        var url = FlowTemplate.Expand(n.Url, s.Vars, Uri.EscapeDataString);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(n.TimeoutSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, s.Ct);
        string body;
        try
        {
            using var request = new HttpRequestMessage(n.Method == "POST" ? HttpMethod.Post : HttpMethod.Get, url);
            if (n.Method == "POST") request.Content = JsonContent.Create(s.Vars.ToDictionary(v => v.Key, v => v.Value));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode) return LookupFailed(s, n, $"status {(int)response.StatusCode}");
            body = await ReadLimited(response, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !s.Ct.IsCancellationRequested)
        {
            return LookupFailed(s, n, "timeout");
        }
        catch (HttpRequestException e)
        {
            return LookupFailed(s, n, e.HttpRequestError.ToString());
        }
        catch (InvalidOperationException e)
        {
            return LookupFailed(s, n, e.Message);
        }
        Store(s, n.SaveAs, body);
        var chosen = n.Field is null ? null : s.Vars.TryGetValue($"{n.SaveAs}.{n.Field}", out var v) ? v : null;
        if (chosen is not null && n.Cases.TryGetValue(chosen, out var next)) return Step.To(next);
        return Step.To(n.Next);
    }

    private Step LookupFailed(FlowSession s, HttpLookupNode n, string why)
    {
        _logger.LogWarning("call {CallId}: lookup {Url} failed: {Why}", s.Call.CallId, n.Url, why);
        s.Vars[$"{n.SaveAs}.error"] = why;
        return Step.To(n.OnError ?? n.Next);
    }

    private static async Task<string> ReadLimited(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxLookupAnswer];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>A JSON object's top-level values become "saveAs.name"; anything else is kept whole as "saveAs".</summary>
    private static void Store(FlowSession s, string saveAs, string body)
    {
        s.Vars.Remove($"{saveAs}.error");
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    var text = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!,
                        JsonValueKind.Number => p.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Null => "",
                        _ => p.Value.GetRawText(),
                    };
                    s.Vars[$"{saveAs}.{p.Name}"] = text;
                }
                return;
            }
            s.Vars[saveAs] = doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString()! : doc.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            s.Vars[saveAs] = body.Trim();
        }
    }
}
