import CLDNS
import FedplanCore
import Glibc

/// Reads master-file text through ldns into `DNSRecord`s, each with its line. Every problem is
/// collected, not just the first. (The streaming zone-file reader of `dns check --zone-file`
/// builds on the same calls.)
public enum ZoneText {
    public static func parse(_ text: String, name: String, origin: String? = nil) -> Result<[DNSRecord], DiagnosticList> {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return .success([]) }
        return bytes.withUnsafeMutableBytes { buffer -> Result<[DNSRecord], DiagnosticList> in
            guard let file = fmemopen(buffer.baseAddress, buffer.count, "r") else {
                return .failure(DiagnosticList([Diagnostic("cannot read the text", at: SourceLocation(file: name))]))
            }
            defer { fclose(file) }
            return read(file, bytes: UnsafeRawBufferPointer(buffer), name: name, origin: origin)
        }
    }

    /// The line of the first token at or after `offset`: ldns skips blank and comment lines
    /// inside the call that reads the next record, so its own line count cannot tell.
    static func firstContentLine(from offset: Int, line: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var i = offset, line = line
        while i < bytes.count {
            var j = i
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
            if j < bytes.count, bytes[j] == 0x3B {  // ';' comment: skip to the end of the line
                while j < bytes.count, bytes[j] != 0x0A { j += 1 }
            }
            guard j < bytes.count, bytes[j] == 0x0A else { break }
            line += 1
            i = j + 1
        }
        return line
    }

    static func read(_ file: UnsafeMutablePointer<FILE>, bytes: UnsafeRawBufferPointer, name: String,
                     origin: String?) -> Result<[DNSRecord], DiagnosticList> {
        let state = ParserState()
        if let origin {
            state.origin = ldns_dname_new_frm_str(origin)
        }
        var records: [DNSRecord] = []
        var problems: [Diagnostic] = []
        while feof(file) == 0 {
            var rr: UnsafeMutablePointer<ldns_rr>?
            // ldns counts the newlines it consumed; the entry starts at the first token after
            // them (a record in parentheses is reported at its first line).
            let start = firstContentLine(from: ftell(file), line: Int(state.line) + 1, in: bytes)
            let location = SourceLocation(file: name, line: start)
            let status = ldns_rr_new_frm_fp_l(&rr, file, &state.defaultTTL, &state.origin, &state.previous, &state.line)
            switch status {
            case LDNS_STATUS_OK:
                guard let rr else { continue }
                let owned = OwnedRR(rr)
                records.append(LDNSConvert.record(owned.pointer, location: location))
            case LDNS_STATUS_SYNTAX_EMPTY, LDNS_STATUS_SYNTAX_TTL, LDNS_STATUS_SYNTAX_ORIGIN:
                continue
            default:
                if feof(file) != 0 && status == LDNS_STATUS_SYNTAX_ERR { break }
                let reason = String(cString: ldns_get_errorstr_by_id(status))
                problems.append(Diagnostic("ldns: \(reason)", at: location))
            }
        }
        return problems.isEmpty ? .success(records) : .failure(DiagnosticList(problems))
    }
}
