namespace Hotline.Media.Recording;

/// <summary>What <see cref="WavRepair"/> found in one file.</summary>
public enum WavRepairOutcome
{
    /// <summary>RIFF and data sizes match the file: left alone.</summary>
    Intact,

    /// <summary>Sizes rewritten (and a partial last sample frame cut off) to match the audio present.</summary>
    Repaired,

    /// <summary>Not a RIFF/WAVE file (or too damaged to find its fmt and data chunks): refused, left alone.</summary>
    NotWav,

    /// <summary>A WAV variant this repair doesn't edit (RF64): left alone.</summary>
    Unsupported,

    /// <summary>Could not be read or written (permissions, I/O error): left as it was.</summary>
    Failed,
}

/// <param name="Path">The file.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="Detail">Human-readable reason or change, for the start-up log.</param>
/// <param name="DeclaredDataBytes">Data size the header claimed before repair (−1 if not found).</param>
/// <param name="DataBytes">Data size after repair (or as found when not repaired; −1 if not found).</param>
public sealed record WavRepairResult(string Path, WavRepairOutcome Outcome, string Detail, long DeclaredDataBytes = -1, long DataBytes = -1);
