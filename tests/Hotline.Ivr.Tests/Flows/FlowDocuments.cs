namespace Hotline.Ivr.Tests.Flows;

/// <summary>Flow documents shared by the tests.</summary>
internal static class FlowDocuments
{
    /// <summary>A two-level menu: 1 → extension 1001, 2 → a sub-menu (1 → queue "complaints", 2 → voicemail), 9 → voicemail.</summary>
    public const string TwoLevel = """
    {
      "id": "two-level",
      "name": "Two-level menu",
      "start": "welcome",
      "nodes": {
        "welcome": { "type": "play", "prompts": ["welcome"], "next": "main" },
        "main": {
          "type": "menu", "prompts": ["main-menu"], "options": { "1": "to1001", "2": "sub", "9": "vm" },
          "invalidPrompts": ["invalid"], "timeoutPrompts": ["no-input"], "timeoutSeconds": 5, "maxAttempts": 3,
          "onInvalid": "bad-key", "onTimeout": "nobody", "onFailure": "bye"
        },
        "sub": {
          "type": "menu", "prompts": ["sub-menu"], "options": { "1": "queue", "2": "vm", "*": "main" },
          "invalidPrompts": ["invalid"], "maxAttempts": 2, "onFailure": "bye"
        },
        "to1001": { "type": "transfer", "target": "extension", "value": "1001", "ringTimeoutSeconds": 20, "onNoAnswer": "vm", "onBusy": "vm", "onFailure": "bye" },
        "queue": { "type": "transfer", "target": "queue", "value": "complaints", "onFailure": "vm" },
        "vm": { "type": "voicemail", "mailbox": "12345" },
        "bad-key": { "type": "hangup", "prompts": ["too-many-wrong-keys"] },
        "nobody": { "type": "voicemail", "mailbox": "12345" },
        "bye": { "type": "hangup", "prompts": ["goodbye"] }
      }
    }
    """;
}
