/// The zone a zone file's name says it holds, by the conventions BIND's and Knot's admins use
/// (`kzonecheck` takes the origin from the file name too, stripping `.zone`): `contoso.com`,
/// `contoso.com.zone`, `contoso.com.db`, `db.contoso.com`, each optionally ending in `.signed`
/// (what `ldns-signzone` and `dnssec-signzone` write). Used only when the file sets no `$ORIGIN`
/// before its first record and no `--origin` was given for it.
public enum ZoneFileOrigin {
    /// Last labels that are file extensions, not top-level domains: a bare `<zone>` name ending
    /// in one of these is not taken as a zone (`contoso.com.txt` is not the zone `txt`'s child).
    static let extensions: Set<String> = [
        "txt", "conf", "cfg", "bak", "old", "orig", "tmp", "swp", "new", "jnl", "journal", "zone", "db",
        "signed", "inc", "include", "hosts", "rev", "json", "yaml", "yml", "j2", "tpl", "in", "out", "sample",
    ]

    /// The origin (absolute, lower case) the name of the file at `path` gives, or nil when the name
    /// follows none of the conventions or is no domain name of at least two labels.
    public static func fromFileName(_ path: String) -> String? {
        guard path != "-" else { return nil }  // standard input has no name
        var name = Substring(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "").lowercased()[...]
        if name.hasSuffix(".signed") { name = name.dropLast(".signed".count) }
        var bare = true
        if name.hasSuffix(".zone") {
            name = name.dropLast(".zone".count)
            bare = false
        } else if name.hasSuffix(".db") {
            name = name.dropLast(".db".count)
            bare = false
        }
        if name.hasPrefix("db.") {  // `db.contoso.com`, and `db.contoso.com.zone` too
            name = name.dropFirst("db.".count)
            bare = false
        }
        if name.hasSuffix(".") { name = name.dropLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let last = labels.last else { return nil }
        // The last label of a zone's name is a top-level domain: letters, or an A-label.
        guard last.utf8.allSatisfy({ (0x61...0x7A).contains($0) }) || last.hasPrefix("xn--") else { return nil }
        if bare, extensions.contains(String(last)) { return nil }
        guard case .success = DomainName.parse(String(name), allowUnderscore: true) else { return nil }
        return name + "."
    }
}
