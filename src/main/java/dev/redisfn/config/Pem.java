package dev.redisfn.config;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;

/**
 * Reads the PEM text of {@code tls} as the client's TLS options will, so that a bad certificate or
 * key is a 400 naming its field when the config is read, not a failure when a connection opens.
 * Messages never quote the text: a key is a secret.
 */
final class Pem {

    /** The key formats Vert.x loads: PKCS#8, PKCS#1 (RSA) and SEC 1 (EC). */
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    static void requireCertificates(String pem, String field, Fields fields) {
        if (pem != null) {
            firstCertificate(pem, field, fields);
        }
    }

    /** Mutual TLS: a certificate, a key, and a key of the certificate's algorithm (else the TLS options fail to load). */
    static void requireClientPair(String certPem, String keyPem, Fields fields) {
        if (certPem == null || keyPem == null) {
            return;
        }
        String certAlgorithm = firstCertificate(certPem, "tls.clientCertPem", fields).getPublicKey().getAlgorithm();
        String keyAlgorithm = keyAlgorithm(keyPem, "tls.clientKeyPem", fields);
        if (!certAlgorithm.equals(keyAlgorithm)) {
            throw fields.invalid("tls.clientKeyPem", "the key's algorithm (" + keyAlgorithm
                    + ") does not match clientCertPem's (" + certAlgorithm + ")");
        }
    }

    private static Certificate firstCertificate(String pem, String field, Fields fields) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> certificates = pem.contains("-----BEGIN CERTIFICATE-----")
                    ? factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    : List.of();
            if (certificates.isEmpty()) {
                throw notCertificates(field, fields);
            }
            return certificates.iterator().next();
        } catch (CertificateException e) {
            throw notCertificates(field, fields);
        }
    }

    /** The key's algorithm, RSA or EC, read from its PEM block. */
    private static String keyAlgorithm(String pem, String field, Fields fields) {
        Matcher block = KEY.matcher(pem);
        if (!block.find()) {
            throw notKey(field, fields);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).strip());
        } catch (IllegalArgumentException e) {
            throw notKey(field, fields);
        }
        String algorithm = switch (block.group(1)) {
            case "RSA PRIVATE KEY" -> isDerSequence(der) ? "RSA" : null;
            case "EC PRIVATE KEY" -> isDerSequence(der) ? "EC" : null;
            default -> pkcs8Algorithm(der);
        };
        if (algorithm == null) {
            throw notKey(field, fields);
        }
        return algorithm;
    }

    private static boolean isDerSequence(byte[] der) {
        return der.length > 2 && der[0] == 0x30;
    }

    /** PKCS#8 names its algorithm inside; Vert.x reads RSA and EC keys. */
    private static String pkcs8Algorithm(byte[] der) {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return algorithm;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        return null;
    }

    private static ConnectorException notCertificates(String field, Fields fields) {
        return fields.invalid(field, "not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
    }

    private static ConnectorException notKey(String field, Fields fields) {
        return fields.invalid(field, "not a PEM private key (PKCS#8 \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or"
                + " \"EC PRIVATE KEY\"; an encrypted key is not supported)");
    }
}
