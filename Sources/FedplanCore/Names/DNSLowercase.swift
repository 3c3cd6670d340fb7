extension String {
    /// The name in lower case, as DNS compares names. Most names already are: then the same
    /// storage is returned instead of a copy (`lowercased()` always allocates one), which is
    /// what keeps a 20,000-record check from holding several copies of every planned name.
    public var dnsLowercased: String {
        utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }) ? lowercased() : self
    }
}
