import FedplanCore
import Testing

/// RFC 6672's substitution and the ancestor test, by bytes (DNAME answers and the collector).
@Suite struct DNAMESubstitutionTests {
    @Test func theOwnerIsReplacedByTheTarget() {
        #expect("_sip._tcp.d0.example.net.".dnameSubstituted(below: "d0.example.net.", by: "t0.example.org.") == "_sip._tcp.t0.example.org.")
        #expect("a.example.".dnameSubstituted(below: "example.", by: ".") == "a.")
        #expect("a.b.".dnameSubstituted(below: ".", by: "c.") == "a.b.c.")
        #expect("a\\.b.example.".dnameSubstituted(below: "example.", by: "x.") == "a\\.b.x.")
    }

    @Test func anAncestorEndsTheNameAfterADot() {
        #expect("a.example.net.".isBelow("example.net."))
        #expect(!"aexample.net.".isBelow("example.net."))  // not at a label boundary
        #expect(!"example.net.".isBelow("example.net."))  // not a proper ancestor
        #expect(!"net.".isBelow("example.net."))
        #expect("a.".isBelow(".") && !".".isBelow("."))
    }
}
