import FedplanCore
import Testing

@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("192.0.2.53", "192.0.2.53", UInt16(53)),
        ("192.0.2.53:5353", "192.0.2.53", 5353),
        ("[2001:db8::53]:5353", "2001:db8::53", 5353),
        ("[::1]", "::1", 53),
        ("2001:db8::53", "2001:db8::53", 53),
    ])
    func parses(text: String, address: String, port: UInt16) throws {
        let server = try #require(ServerAddress.parse(text))
        #expect(server.address == IPAddress(address)! && server.port == port)
        #expect(ServerAddress.parse(server.description) == server, "prints back in a form it reads")
    }

    @Test(arguments: ["", "sip.contoso.com", "192.0.2.53:0", "192.0.2.53:70000", "[2001:db8::53", "[2001:db8::53]5353", "1.2.3.4:53:53"])
    func refuses(text: String) {
        #expect(ServerAddress.parse(text) == nil)
    }

    @Test func readsResolvConf() {
        let text = """
            # generated
            search corp.example
            nameserver 192.0.2.1
            nameserver 2001:db8::1
            nameserver fe80::1%eth0
            options edns0
            """
        #expect(ServerAddress.fromResolvConf(text).map(\.description) == ["192.0.2.1", "2001:db8::1"])
    }
}
