package dev.redisfn.config;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.model.Fields;
import dev.redisfn.model.Secret;

/**
 * TLS for every connection of a config, sentinels included. Verification of the certificate
 * and of the hostname is on unless the caller explicitly asks for {@code insecure}.
 */
public record TlsSettings(boolean enabled, String caCertPem, String clientCertPem, Secret clientKeyPem,
        boolean verifyHostname, boolean insecure) {

    public static final TlsSettings OFF = new TlsSettings(false, null, null, null, true, false);
    static final TlsSettings ON = new TlsSettings(true, null, null, null, true, false);

    private static final Set<String> FIELDS = Set.of("enabled", "caCertPem", "clientCertPem", "clientKeyPem",
            "verifyHostname", "insecure");

    static TlsSettings parse(JsonNode node, Fields fields) {
        if (Fields.isAbsent(node)) {
            return OFF;
        }
        if (!node.isObject()) {
            return Boolean.TRUE.equals(fields.bool(node, "tls")) ? ON : OFF;
        }
        fields.requireOnly(node, "tls.", FIELDS);
        Boolean enabled = fields.bool(node.get("enabled"), "tls.enabled");
        String clientCert = fields.string(node.get("clientCertPem"), "tls.clientCertPem");
        Secret clientKey = Secret.ofNullable(fields.string(node.get("clientKeyPem"), "tls.clientKeyPem"));
        if ((clientCert == null) != (clientKey == null)) {
            throw fields.invalid(clientCert == null ? "tls.clientCertPem" : "tls.clientKeyPem",
                    "mutual TLS needs both clientCertPem and clientKeyPem");
        }
        String caCert = fields.string(node.get("caCertPem"), "tls.caCertPem");
        Pem.requireCertificates(caCert, "tls.caCertPem", fields);
        Pem.requireClientPair(clientCert, clientKey == null ? null : clientKey.reveal(), fields);
        Boolean verify = fields.bool(node.get("verifyHostname"), "tls.verifyHostname");
        Boolean insecure = fields.bool(node.get("insecure"), "tls.insecure");
        return new TlsSettings(enabled == null || enabled, caCert, clientCert, clientKey, verify == null || verify,
                insecure != null && insecure);
    }

    String canonical() {
        if (!enabled) {
            return "off";
        }
        return "on|" + caCertPem + "|" + clientCertPem + "|" + (clientKeyPem == null ? "" : clientKeyPem.reveal())
                + "|" + verifyHostname + "|" + insecure;
    }
}
