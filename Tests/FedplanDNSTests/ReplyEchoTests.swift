@testable import FedplanDNS
import CLDNS
import FedplanCore
import Glibc
import Testing

/// The query engine hands `Reply.read` each query's name as it was sent, and a reply that
/// echoes it byte for byte is not parsed again to be compared. The verdict must be exactly the
/// one ldns's own parse of the question gives, for every reply, echoed or not.
@Suite struct ReplyEchoTests {
    /// A reply whose question section says `asked` (any case), with answer records from
    /// master-file lines; built by ldns.
    static func reply(question asked: String, type: String, rcode: UInt8 = 0, _ lines: [String]) throws -> [UInt8] {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        try #require(ldns_pkt_query_new_frm_str(&packet, asked, QueryWire.type(type), LDNS_RR_CLASS_IN, UInt16(LDNS_RD))
                     == LDNS_STATUS_OK)
        let owned = OwnedPacket(try #require(packet))
        ldns_pkt_set_id(owned.pointer, 0x1234)
        ldns_pkt_set_qr(owned.pointer, 1)
        ldns_pkt_set_aa(owned.pointer, 1)
        ldns_pkt_set_rcode(owned.pointer, rcode)
        for line in lines {
            var rr: UnsafeMutablePointer<ldns_rr>?
            try #require(ldns_rr_new_frm_str(&rr, line, 0, nil, nil) == LDNS_STATUS_OK, "\(line)")
            try #require(ldns_pkt_push_rr(owned.pointer, LDNS_SECTION_ANSWER, rr))
        }
        var wire: UnsafeMutablePointer<UInt8>?
        var size = 0
        try #require(ldns_pkt2wire(&wire, owned.pointer, &size) == LDNS_STATUS_OK)
        defer { free(wire) }
        return Array(UnsafeBufferPointer(start: wire, count: size))
    }

    /// The verdict with and without the name as sent, as text (the verdict is not Equatable).
    static func verdicts(_ bytes: [UInt8], _ question: Question) throws -> (echoed: String, parsed: String) {
        var name: [UInt8] = []
        try #require(QueryWire.appendName(question.name, to: &name))
        return bytes.withUnsafeBytes { reply in
            name.withUnsafeBytes { sent in
                (String(describing: Reply.read(reply, id: 0x1234, question: question, overTCP: false, askedWire: sent)),
                 String(describing: Reply.read(reply, id: 0x1234, question: question, overTCP: false)))
            }
        }
    }

    static let srv = Question("_sipfederationtls._tcp.contoso.com.", "SRV")

    @Test(arguments: [
        // The question echoed as sent, and with its letters in another case (RFC 4343).
        ("_sipfederationtls._tcp.contoso.com.", "SRV", ["_sipfederationtls._tcp.contoso.com. 300 IN SRV 10 20 5061 sip.contoso.com."]),
        ("_SIPfederationTLS._TCP.Contoso.COM.", "SRV", ["_sipfederationtls._tcp.contoso.com. 300 IN SRV 10 20 5061 sip.contoso.com."]),
        // Records owned by the name in another case, by another name, and a CNAME chain.
        ("_sipfederationtls._tcp.contoso.com.", "SRV", ["_SIPFEDERATIONTLS._tcp.contoso.com. 300 IN SRV 0 0 5061 a.contoso.com.",
                                                        "other.contoso.com. 300 IN SRV 0 0 5061 b.contoso.com."]),
        ("_sipfederationtls._tcp.contoso.com.", "SRV", ["_sipfederationtls._tcp.contoso.com. 300 IN CNAME x.contoso.com.",
                                                        "x.contoso.com. 300 IN SRV 0 0 5061 c.contoso.com."]),
        // Another question: a different name, a longer one, a different type.
        ("_sipfederationtls._tcp.fabrikam.com.", "SRV", []),
        ("a._sipfederationtls._tcp.contoso.com.", "SRV", []),
        ("_sipfederationtls._tcp.contoso.com.", "A", []),
        ("_sipfederationtls._tcp.contoso.co.", "SRV", []),
    ])
    func echoedQuestionsReadAsLDNSReadsThem(asked: String, type: String, lines: [String]) throws {
        let bytes = try Self.reply(question: asked, type: type, lines)
        let (echoed, parsed) = try Self.verdicts(bytes, Self.srv)
        #expect(echoed == parsed)
    }

    @Test func cutAndGarbledQuestionsReadAsLDNSReadsThem() throws {
        let bytes = try Self.reply(question: Self.srv.name, type: "SRV",
                                   ["_sipfederationtls._tcp.contoso.com. 300 IN SRV 10 20 5061 sip.contoso.com."])
        let questionEnd = 12 + 36 + 4
        // Cut inside the name, inside the type and class, right after the question; a length
        // octet changed; the type changed; a name compressed to a pointer.
        var cases = [Array(bytes[..<20]), Array(bytes[..<(questionEnd - 2)]), Array(bytes[..<questionEnd])]
        var longer = bytes
        longer[12] = 40
        var otherType = bytes
        otherType[12 + 36 + 1] = 1
        var pointer = bytes
        pointer[12] = 0xC0
        pointer[13] = 0x0C
        cases += [longer, otherType, pointer]
        for bytes in cases {
            let (echoed, parsed) = try Self.verdicts(bytes, Self.srv)
            #expect(echoed == parsed)
        }
    }

    @Test func anEchoIsTheNameAndTypeAsSent() throws {
        var sent: [UInt8] = []
        try #require(QueryWire.appendName(Self.srv.name, to: &sent))
        for (asked, type, expected) in [(Self.srv.name, "SRV", true), ("_SIPFEDERATIONTLS._TCP.CONTOSO.COM.", "SRV", true),
                                        (Self.srv.name, "A", false), ("_sipfederationtls._tcp.contoso.con.", "SRV", false)] {
            let bytes = try Self.reply(question: asked, type: type, [])
            let echoes = bytes.withUnsafeBytes { reply in
                sent.withUnsafeBytes { Reply.echoes(reply, $0, QueryWire.type("SRV")) }
            }
            #expect(echoes == expected, "\(asked) \(type)")
        }
    }

    /// Datagrams go out through `Outbox` (sendmmsg, runs per socket) and come in through `Inbox`
    /// (recvmmsg) whole, in order, with their source.
    @Test func datagramsGoAndComeInBatches() throws {
        func udpSocket() throws -> (fd: Int32, address: sockaddr_storage, length: socklen_t) {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(fd >= 0)
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            var storage = sockaddr_storage()
            try withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: &sin) { raw.copyMemory(from: $0) }
                let bound = raw.baseAddress!.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
                try #require(bound == 0)
                let named = raw.baseAddress!.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                try #require(named == 0)
            }
            return (fd, storage, length)
        }
        let receiver = try udpSocket()
        let senders = [try udpSocket(), try udpSocket()]
        defer { for fd in [receiver.fd] + senders.map(\.fd) { close(fd) } }
        let outbox = Outbox()
        for k in 0..<40 {
            let bytes = Array("datagram \(k)".utf8)
            bytes.withUnsafeBytes { outbox.nextWire.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            outbox.add(length: bytes.count, fd: senders[k / 20].fd, destination: receiver.address,
                       destinationLength: receiver.length, slot: k)
        }
        #expect(outbox.send(0..<20) == 20)
        #expect(outbox.send(20..<40) == 20)
        outbox.removeAll()
        #expect(outbox.count == 0)
        let inbox = Inbox()
        var received: [String] = []
        var sources: [sockaddr_storage] = []
        while received.count < 40 {
            var ready = pollfd(fd: receiver.fd, events: Int16(POLLIN), revents: 0)
            try #require(poll(&ready, 1, 2000) == 1)
            let n = inbox.receive(receiver.fd)
            try #require(n > 0)
            for k in 0..<n {
                received.append(String(decoding: inbox.datagram(k), as: UTF8.self))
                sources.append(inbox.source(k))
            }
        }
        #expect(received == (0..<40).map { "datagram \($0)" })
        #expect(SocketAddress.same(sources[0], senders[0].address))
        #expect(SocketAddress.same(sources[39], senders[1].address))
        #expect(!SocketAddress.same(sources[0], senders[1].address))
    }
}
