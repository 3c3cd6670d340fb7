import CYaml
import Foundation

/// Finds the first anchor or alias in YAML text from libyaml's event stream, before anything is
/// composed. Composing first is what made a 600-byte file hang: an alias bomb used as a mapping
/// key is expanded and hashed by the composer before any check on the tree can run.
enum AnchorScan {
    struct Found {
        let line: Int
        let column: Int
        let isAlias: Bool
    }

    /// Whether the text has a `&` or a `*` at all; without either it holds no anchor and no
    /// alias. By memchr over the contiguous bytes: through `contains(where:)` on the UTF-8 view
    /// it was 28 instructions a byte, 8.6M for a 10,000-domain description.
    static func mayHold(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil
                || memchr(base, Int32(UInt8(ascii: "*")), bytes.count) != nil
        }
    }

    /// The first anchor (`&a`) or alias (`*a`), 1-based. Nil when there is none, or when the
    /// text has a syntax error first (the full parse reports that).
    static func first(in text: String) -> Found? {
        // Anchors need `&` and aliases `*`: most descriptions have neither, and cost one scan.
        guard mayHold(text) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Found? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                let found = Found(line: Int(mark.line) + 1, column: Int(mark.column) + 1, isAlias: event.type == YAML_ALIAS_EVENT)
                switch event.type {
                case YAML_ALIAS_EVENT: return found
                case YAML_SCALAR_EVENT where event.data.scalar.anchor != nil: return found
                case YAML_SEQUENCE_START_EVENT where event.data.sequence_start.anchor != nil: return found
                case YAML_MAPPING_START_EVENT where event.data.mapping_start.anchor != nil: return found
                case YAML_STREAM_END_EVENT: return nil
                default: continue
                }
            }
            return nil
        }
    }
}
