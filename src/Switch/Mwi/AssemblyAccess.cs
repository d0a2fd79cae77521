using System.Runtime.CompilerServices;

// Hotline.Ivr keeps its flows, schedules, blacklist, voicemail index and campaigns in the same store,
// through repositories built like the switch's own (HotlineStore.Collection / InTransaction are internal
// so that nothing but repositories sees LiteDB).
[assembly: InternalsVisibleTo("Hotline.Ivr")]
