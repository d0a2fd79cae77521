namespace Hotline.Media.Engine;

/// <summary>No RTP/RTCP port pair could be bound: the range is used up or its ports are busy on the host.</summary>
public sealed class MediaPortsExhaustedException(string message) : Exception(message);
