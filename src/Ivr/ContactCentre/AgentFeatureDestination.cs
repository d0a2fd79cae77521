using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// The agent and supervisor feature codes (<see cref="FeatureCodes"/>), dialled from a phone. Login binds
/// the agent to the phone dialled from; the other codes act on the agent logged in there.
/// </summary>
public sealed class AgentFeatureDestination : ICallDestination
{
    private readonly AgentService _agents;
    private readonly SupervisorService? _supervisors;
    private readonly FeatureCodes _codes;
    private readonly PromptFiles _files;
    private readonly ContactCentrePrompts _prompts;

    public AgentFeatureDestination(AgentService agents, SupervisorService? supervisors, FeatureCodes codes, PromptFiles prompts)
    {
        _agents = agents;
        _supervisors = supervisors;
        _codes = codes;
        _files = prompts;
        _prompts = prompts.Names;
    }

    /// <summary>Whether a dialled feature code is one of ours (for the switch's feature-code dispatch).</summary>
    public bool Handles(string dialled) => _codes.All.Any(c => dialled.StartsWith(c, StringComparison.Ordinal));

    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        try
        {
            await RunCoreAsync(call, target.Value).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested)
        {
            // Hung up half way through.
        }
    }

    private async Task RunCoreAsync(ICallChannel call, string dialled)
    {
        var phone = call.CallerExtension;
        if (phone is null || !Handles(dialled))
        {
            await call.HangupAsync(403, "Feature codes are for local phones").ConfigureAwait(false);
            return;
        }
        string Rest(string code) => dialled[code.Length..];
        await call.AnswerAsync(call.Ended).ConfigureAwait(false);
        // Longest code first, so a code that starts with another (the validation forbids it) could not be mistaken.
        var code = _codes.All.Where(c => dialled.StartsWith(c, StringComparison.Ordinal)).OrderByDescending(c => c.Length).First();
        if (code == _codes.Login) await LoginAsync(call, phone, Rest(code)).ConfigureAwait(false);
        else if (code == _codes.Listen) await MonitorAsync(call, phone, Rest(code), SupervisorMode.Listen).ConfigureAwait(false);
        else if (code == _codes.Whisper) await MonitorAsync(call, phone, Rest(code), SupervisorMode.Whisper).ConfigureAwait(false);
        else if (code == _codes.Barge) await MonitorAsync(call, phone, Rest(code), SupervisorMode.Barge).ConfigureAwait(false);
        else
        {
            var agent = await _agents.AgentOnPhoneAsync(phone).ConfigureAwait(false);
            if (agent is null)
            {
                await SayAndHangUpAsync(call, _prompts.NotAllowed).ConfigureAwait(false);
                return;
            }
            if (code == _codes.Logout)
            {
                _agents.Logout(agent);
                await SayAndHangUpAsync(call, _prompts.LoggedOut).ConfigureAwait(false);
            }
            else if (code == _codes.Pause)
            {
                var reason = Rest(code) is { Length: > 0 } r && r.All(char.IsAsciiDigit) ? $"code-{r}" : "paused";
                _agents.Pause(agent, reason);
                await SayAndHangUpAsync(call, _prompts.Paused).ConfigureAwait(false);
            }
            else
            {
                _agents.Resume(agent);
                await SayAndHangUpAsync(call, _prompts.Resumed).ConfigureAwait(false);
            }
        }
    }

    private async Task LoginAsync(ICallChannel call, string phone, string rest)
    {
        var agent = rest.All(char.IsAsciiDigit) && rest.Length > 0 ? rest : await AskAsync(call, _prompts.AgentNumber).ConfigureAwait(false);
        var pin = await AskAsync(call, _prompts.AgentPin).ConfigureAwait(false);
        var result = agent.Length == 0 || pin.Length == 0 ? LoginResult.WrongPin : await _agents.LoginAsync(agent, pin, phone).ConfigureAwait(false);
        // Unknown agent and wrong PIN sound the same: the phone must not confirm which agent numbers exist.
        await SayAndHangUpAsync(call, result == LoginResult.LoggedIn ? _prompts.LoggedIn : _prompts.LoginFailed).ConfigureAwait(false);
    }

    private async Task MonitorAsync(ICallChannel call, string phone, string agentPhone, SupervisorMode mode)
    {
        var supervisor = await _agents.AgentOnPhoneAsync(phone).ConfigureAwait(false);
        if (_supervisors is null || supervisor is null || agentPhone.Length == 0 || !_supervisors.IsSupervisor(supervisor))
        {
            await SayAndHangUpAsync(call, _prompts.NotAllowed).ConfigureAwait(false);
            return;
        }
        var result = await _supervisors.MonitorAsync(call, supervisor, agentPhone, mode).ConfigureAwait(false);
        if (result != MonitorResult.Ended) await SayAndHangUpAsync(call, _prompts.NotAllowed).ConfigureAwait(false);
    }

    private async Task<string> AskAsync(ICallChannel call, string prompt)
    {
        await _files.PlayAsync(call, [prompt], interruptOnDtmf: true, call.Ended).ConfigureAwait(false);
        return await call.CollectDigitsAsync(new DigitCollection(1, 12, '#', TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), call.Ended).ConfigureAwait(false);
    }

    private async Task SayAndHangUpAsync(ICallChannel call, string prompt)
    {
        if (call.Ended.IsCancellationRequested) return;
        await _files.PlayAsync(call, [prompt], interruptOnDtmf: false, call.Ended).ConfigureAwait(false);
        await call.HangupAsync().ConfigureAwait(false);
    }
}
