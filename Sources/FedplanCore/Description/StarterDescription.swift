/// The commented starter file `fedplan init` writes: valid as written, every key explained.
public enum StarterDescription {
    public static func text(domain: DomainName) -> String {
        let d = domain.text
        return """
        # fedplan deployment description (schema version 1).
        # Names are absolute, with or without the trailing dot. Check it with `fedplan validate`,
        # then `fedplan dns plan` shows every record federation needs and why.
        version: 1
        organization: \(d)            # used in report headers and exported comments
        ttl: 3600                     # TTL of the generated records
        # product: sfb-se             # lync-2013 (default) | sfb-2015 | sfb-2019 | sfb-se

        sip_domains:                  # every SIP domain users sign in with
          - \(d)
          # - {domain: fabrikam.com, hosting: teams-only}       # on-premises (default) | hybrid | teams-only
          # - {domain: litware.com, access_edge: sip.litware.com}   # its own name on the Access Edge

        edge:
          access_edge: sip.\(d)       # external FQDN of the Access Edge service
          # web_conferencing: webcon.\(d)
          # av: av.\(d)
          load_balancing: dns         # dns: one entry per Edge server; hardware: one entry with the VIPs
          servers:
            - name: edge01
              access_ip: [203.0.113.10]     # public IPv4 and/or IPv6 of the Access Edge

        federation:
          sip:
            discoverable: true        # publish _sipfederationtls._tcp so partners find you
            # mobile_push: true       # SRV even when not discoverable, for push notifications
            # partners:
            #   - domain: litwareinc.com
            #     kind: allowed_domain        # discovered | allowed_domain | allowed_server | hosting_provider
          # xmpp:                     # remove the # to federate over XMPP
          #   proxy: xmpp.\(d)
          #   partners:
          #     - domain: jabber.example.org
          #       type: public_unverified     # federated | public_verified | public_unverified
          #       tls: required               # required | optional | not_supported
          #       sasl: required
          #       dialback: true

        remote_access: false          # true adds _sip._tls SRV 443 and sip.<domain>

        # reverse_proxy:              # lyncdiscover, meet, dialin and the external web services
        #   addresses: [203.0.113.40]
        #   external_web_services: webext.\(d)

        # acknowledge:                # warnings and notices accepted, with the reason
        #   - {rule: srv-target-outside-domain, domain: litware.com, reason: "CHG-1234"}

        """
    }
}
