import Foundation

/// `cert plan` output: a table for people, Markdown for a change ticket, JSON for scripts, and
/// an OpenSSL request configuration that yields a CSR with exactly the planned names.
public enum CertificateRenderer {
    public static func table(_ plan: CertificatePlan, tlsa: [PlannedTLSA] = []) -> String {
        var out = "External Edge certificate (\(plan.title))\n\n"
        out += "  subject:  CN=\(Escape.text(plan.subject))\n"
        out += "  EKU:      " + plan.extendedKeyUsages.map { "\($0.name) (\($0.oid))" }.joined(separator: ", ") + "\n\n"
        var table = TextTable()
        table.add(["SUBJECT ALTERNATIVE NAME", "REASON"])
        for san in plan.subjectAlternativeNames { table.add([Escape.text(san.name), Escape.text(san.reason)]) }
        out += table.render(indent: "  ") + "\n\n"
        for usage in plan.extendedKeyUsages { out += "  - \(usage.name): \(usage.reason)\n" }
        for note in plan.notes { out += "  - \(Escape.text(note))\n" }
        if !tlsa.isEmpty {
            out += "\nTLSA records for DANE (XMPP federation, RFC 7673)\n\n"
            var records = TextTable()
            records.add(["ZONE", "RECORD"])
            for t in tlsa { records.add([t.zone.description, Escape.text(t.presentation)]) }
            out += records.render(indent: "  ") + "\n\n"
            for t in tlsa { out += "  - \(Escape.text(t.name.description)): \(Escape.text(t.reason))\n" }
            out += "  - \(tlsaAdvice)\n"
        }
        return out
    }

    /// The rollover rule of RFC 7671 §8.1, said wherever a TLSA record is proposed.
    public static let tlsaAdvice = "DANE is used only when the zone is DNSSEC-signed. Publish the new TLSA record before switching "
        + "certificates and keep the old one until no server presents the old certificate (RFC 7671 §8.1); "
        + "a record for the key (3 1 1) survives renewals that keep the key."

    public static func markdown(_ plan: CertificatePlan, tlsa: [PlannedTLSA] = []) -> String {
        var out = "# External Edge certificate (\(plan.title))\n\n"
        out += "- Subject: `CN=\(PlanRenderer.cell(plan.subject))`\n"
        for usage in plan.extendedKeyUsages {
            out += "- EKU: \(usage.name) (`\(usage.oid)`): \(PlanRenderer.cell(usage.reason))\n"
        }
        out += "\n| Subject alternative name | Reason | Source |\n|---|---|---|\n"
        for san in plan.subjectAlternativeNames {
            out += "| `\(PlanRenderer.cell(san.name))` | \(PlanRenderer.cell(san.reason)) | \(PlanRenderer.cell(san.origin.description)) |\n"
        }
        out += "\n" + plan.notes.map { "- \(PlanRenderer.cell($0))\n" }.joined()
        if !tlsa.isEmpty {
            out += "\n## TLSA records for DANE (XMPP federation)\n\n| Zone | Record | Reason | Source |\n|---|---|---|---|\n"
            for t in tlsa {
                out += "| `\(PlanRenderer.cell(t.zone.description))` | `\(PlanRenderer.cell(t.presentation))` | \(PlanRenderer.cell(t.reason)) | \(PlanRenderer.cell(t.source)) |\n"
            }
            out += "\n- \(PlanRenderer.cell(tlsaAdvice))\n"
        }
        return out
    }

    /// `--format zone`: the TLSA records as master-file lines, a comment naming each zone.
    public static func zone(_ tlsa: [PlannedTLSA]) -> String {
        var out = "; TLSA records for DANE (XMPP federation, RFC 7673), made by fedplan: DANE-EE (3), SubjectPublicKeyInfo (1), SHA-256 (1).\n"
        out += "; " + tlsaAdvice + "\n"
        var zone: DomainName?
        for t in tlsa {
            if t.zone != zone {
                out += "\n; zone \(t.zone)\n"
                zone = t.zone
            }
            out += "; \(Escape.text(t.reason))\n"
            out += t.presentation + "\n"
        }
        return out
    }

    public struct Document: Codable, Equatable {
        public struct Name: Codable, Equatable {
            public var name: String
            public var reason: String
            public var origin: JSONDocuments.Location
        }

        public struct Usage: Codable, Equatable {
            public var name: String
            public var oid: String
            public var reason: String
        }

        public var schema: Int = 1
        public var description: String
        public var server_version: String
        public var subject: String
        public var subject_alternative_names: [Name]
        public var extended_key_usages: [Usage]
        public var servers: [String]
        public var notes: [String]
        /// Only with `--tlsa`.
        public var tlsa: [TLSA]?

        public struct TLSA: Codable, Equatable {
            public var name: String
            public var ttl: UInt32
            public var type: String = "TLSA"
            /// `3 1 1 …`, as a master file writes the rdata.
            public var data: String
            public var usage: UInt8
            public var selector: UInt8
            public var matching_type: UInt8
            /// The certificate association data, hex.
            public var certificate_association: String
            public var zone: String
            /// The SRV target and port it is for.
            public var target: String
            public var port: UInt16
            public var reason: String
            public var source: String
            public var origin: JSONDocuments.Location
        }
    }

    public static func json(_ plan: CertificatePlan, file: String, tlsa: [PlannedTLSA]? = nil) -> String {
        JSONDocuments.encode(Document(
            description: Escape.text(file), server_version: plan.serverVersion.rawValue, subject: plan.subject,
            subject_alternative_names: plan.subjectAlternativeNames.map {
                Document.Name(name: $0.name, reason: $0.reason, origin: JSONDocuments.Location($0.origin))
            },
            extended_key_usages: plan.extendedKeyUsages.map { Document.Usage(name: $0.name, oid: $0.oid, reason: $0.reason) },
            servers: plan.servers.map(Escape.text), notes: plan.notes.map(Escape.text),
            tlsa: tlsa?.map {
                Document.TLSA(name: $0.name.description, ttl: $0.ttl, data: $0.data.presentation, usage: $0.data.usage,
                              selector: $0.data.selector, matching_type: $0.data.matchingType,
                              certificate_association: Hex.text($0.data.data), zone: $0.zone.description,
                              target: $0.target.description, port: $0.port, reason: Escape.text($0.reason), source: $0.source,
                              origin: JSONDocuments.Location($0.origin))
            }))
    }

    /// `openssl req -new -config FILE -newkey rsa:2048 -nodes -keyout edge.key -out edge.csr`.
    public static func openSSLConfig(_ plan: CertificatePlan) -> String {
        var out = """
            # OpenSSL request configuration for the external Edge certificate (\(plan.title)),
            # made by fedplan. Create the key and the CSR with:
            #   openssl req -new -config THIS_FILE -newkey rsa:2048 -nodes -keyout edge.key -out edge.csr
            # Keep edge.key: the same certificate and key go on every Edge server of the pool.
            [ req ]
            default_bits = 2048
            prompt = no
            utf8 = yes
            string_mask = utf8only
            distinguished_name = subject
            req_extensions = edge_extensions

            [ subject ]
            CN = \(configValue(plan.subject))

            """
        // RFC 5280 allows at most 64 characters in an organization name, and `openssl req`
        // refuses a longer or blank one: such a name is left out, with the reason in a comment.
        if let organization = plan.organization?.trimmingCharacters(in: .whitespaces), !organization.isEmpty {
            if organization.count <= Self.longestOrganization {
                out += "O = \(configValue(organization))\n"
            } else {
                out += "# O left out: the organization is \(organization.count) characters long, certificates allow at most \(Self.longestOrganization) (RFC 5280)\n"
            }
        }
        out += """

            [ edge_extensions ]
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = \(plan.extendedKeyUsages.map { $0.oid == CertificatePlanner.clientAuth.oid ? "clientAuth" : "serverAuth" }.joined(separator: ", "))
            subjectAltName = @names

            [ names ]

            """
        for (i, san) in plan.subjectAlternativeNames.enumerated() { out += "DNS.\(i + 1) = \(configValue(san.name))\n" }
        return out
    }

    static let longestOrganization = 64

    /// A value for an OpenSSL configuration line: control characters escaped as everywhere,
    /// then the characters OpenSSL's parser treats specially (`#` comment, `$` variable,
    /// `\` escape, quotes) escaped with a backslash, so text from the description cannot end
    /// the value early or reach another setting.
    static func configValue(_ text: String) -> String {
        var out = ""
        for c in Escape.text(text) {
            if "\\#$\"'".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
