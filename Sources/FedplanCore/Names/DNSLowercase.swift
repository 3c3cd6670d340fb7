extension String {
    /// The name in lower case, as DNS compares names. Most names already are: then the same
    /// storage is returned instead of a copy (`lowercased()` always allocates one), which is
    /// what keeps a 20,000-record check from holding several copies of every planned name.
    public var dnsLowercased: String {
        needsLowercasing ? lowercased() : self
    }

    /// An upper-case ASCII letter or a non-ASCII byte. Looked at through the contiguous UTF-8
    /// storage when there is one: iterating the UTF-8 view costs several times more per byte,
    /// and this runs for every name a large check compares.
    private var needsLowercasing: Bool {
        func test(_ b: UInt8) -> Bool { b &- UInt8(ascii: "A") < 26 || b >= 0x80 }
        // A plain loop over the bytes: `contains(where:)` through the closure cost 18
        // instructions per byte, and this runs for every name a large check looks up.
        if let found = utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            for b in bytes where test(b) { return true }
            return false
        }) { return found }
        return utf8.contains(where: test)
    }
}
