package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;
import io.smallrye.certs.ca.CaGenerator;

/**
 * A throw-away certificate authority and a server certificate it signed, as PEM files under
 * {@code target/redis-test/certs-<name>/}: the server certificate names {@code localhost},
 * 127.0.0.1 and 0.0.0.0 (the SmallRye generator's subject alternative names for a CN of localhost).
 */
public record Certificates(Path dir, Path caFile, Path certFile, Path keyFile) {

    private static final String STORE_PASSWORD = "test-ca-store";

    /** Generates a CA and a server certificate for localhost signed by it. */
    public static Certificates generate(String name) {
        Path dir = Shared.targetDir().resolve("redis-test").resolve("certs-" + name);
        try {
            Shared.deleteTree(dir);
            Files.createDirectories(dir);
            Path caFile = dir.resolve("ca.crt");
            Path caStore = dir.resolve("ca.p12");
            CaGenerator ca = new CaGenerator(caFile.toFile(), dir.resolve("ca.key").toFile(), caStore.toFile(),
                    STORE_PASSWORD);
            X509Certificate caCert = ca.generate(name + " test CA", "redisfn", "tests", "nowhere", "none", "XX");
            PrivateKey caKey = caKey(caStore);
            new CertificateGenerator(dir, false).generate(new CertificateRequest().withName("server")
                    .withCN("localhost").withFormat(Format.PEM).withDuration(Duration.ofDays(2))
                    .signedWith(caCert, caKey));
            Certificates certs = new Certificates(dir, caFile, dir.resolve("server.crt"), dir.resolve("server.key"));
            for (Path file : List.of(certs.caFile, certs.certFile, certs.keyFile)) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("the certificate generator wrote no " + file);
                }
            }
            return certs;
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate certificates in " + dir + ": " + e, e);
        }
    }

    /** The CA certificate as PEM text, as an event's {@code tls.caCertPem} carries it. */
    public String caPem() {
        try {
            return Files.readString(caFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + caFile, e);
        }
    }

    private static PrivateKey caKey(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD.toCharArray());
        }
        return (PrivateKey) keyStore.getKey(CaGenerator.KEYSTORE_KEY_ENTRY, STORE_PASSWORD.toCharArray());
    }
}
