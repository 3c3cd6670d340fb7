import FedplanCore

/// Standard output as the sink of a streamed document (`dns check` and `cert check` in JSON,
/// SARIF and JUnit): the renderers buffer 64 KiB at a time (`BufferedOutput`) and flush at
/// the end; each chunk is written through `Console`, so a reader that went away ends the
/// output quietly and any other write error is exit 2, as for every other output.
final class StandardOutput: OutputSink {
    func write(_ bytes: UnsafeRawBufferPointer) {
        Console.out(bytes: bytes)
    }
}
