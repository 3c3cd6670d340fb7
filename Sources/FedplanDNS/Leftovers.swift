/// Values a command is finished with when the process is about to end, kept instead of freed.
/// Freeing them one by one would cost time for nothing: the 20,000 answers of a large check,
/// with their records and strings, are 15 ms of releases, and the kernel takes the whole heap
/// back at exit at once. Compilers do the same at exit (clang's `-disable-free`).
/// Only for callers that end the process right after (`QueryOptions.processEndsAfter`): tests
/// and library callers free as usual.
public enum Leftovers {
    // Appended to from the main thread only (the command's), never read.
    nonisolated(unsafe) private static var kept: [Any] = []

    public static func keep(_ value: Any) { kept.append(value) }
}
