using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hotline.Ivr.Tests.Support;

/// <summary>
/// A tiny HTTP service on 127.0.0.1 standing in for a CRM: answers each request with a handler's status and
/// body, or holds it unanswered (to test timeouts). Requests are recorded.
/// </summary>
internal sealed class LookupServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LookupServer(Func<HttpListenerRequest, string, (int Status, string Body)?> handler)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                lock (Requests) Requests.Add((context.Request.RawUrl ?? "", body));
                Received.Release();
                var answer = handler(context.Request, body);
                if (answer is null) continue; // held: never answered
                context.Response.StatusCode = answer.Value.Status;
                var bytes = Encoding.UTF8.GetBytes(answer.Value.Body);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public int Port { get; }
    public string Base => $"http://127.0.0.1:{Port}";
    public List<(string Url, string Body)> Requests { get; } = [];
    public SemaphoreSlim Received { get; } = new(0);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
